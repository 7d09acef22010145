using System.Security.Cryptography;
using System.Text;
using NationalId.Errors;

namespace NationalId.Citizens.Rules;

/// <summary>What a counter-code attempt decided, and the code state to store when <see cref="Changed"/>.</summary>
public sealed record CodeAttempt(string? Refusal, int Failures, bool Void, bool Changed);

/// <summary>
/// Binding a phone, pure (docs/reference/protocol.md §4): the same key again, the counter code, the device limit, the
/// provisional period, and the single use of capture challenges. The grain checks attestations and faces, stores
/// and raises the events.
/// </summary>
public static class ActivationRules
{
    /// <summary>Unexpired consumed capture challenges one citizen may hold; more attempts within minutes are refused.</summary>
    public const int MaxUsedChallenges = 32;

    /// <summary>The citizen's credential with this public key, a live one before a revoked one; null when none.</summary>
    public static CredentialRecord? Existing(IEnumerable<CredentialRecord> credentials, ReadOnlySpan<byte> publicKey)
    {
        CredentialRecord? revoked = null;
        foreach (var c in credentials)
        {
            if (c.PublicKey.AsSpan().SequenceEqual(publicKey))
            {
                if (c.Status != CredentialStatus.Revoked)
                {
                    return c;
                }

                revoked ??= c;
            }
        }

        return revoked;
    }

    private const string CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    /// <summary>A fresh counter code: ten characters from an alphabet without look-alikes (no I, L, O, 0, 1); ~49 bits.</summary>
    public static string NewCode() => string.Create(10, 0, static (chars, _) =>
    {
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)];
        }
    });

    /// <summary>The stored form of a counter code (SHA-256 of a label and the code), never the code itself.</summary>
    public static byte[] HashCode(string code) => SHA256.HashData(Encoding.ASCII.GetBytes("NID-ACTIVATION-CODE|" + code));

    /// <summary>
    /// A code typed on a phone: compared after trimming and upper-casing, in fixed time. A missing or expired code is
    /// refused unchanged; a wrong one counts, and the failure that reaches <paramref name="maxAttempts"/> voids the code.
    /// </summary>
    public static CodeAttempt Code(byte[]? storedHash, DateTimeOffset expiresAt, int failures, string given, DateTimeOffset now, int maxAttempts)
    {
        if (storedHash is null || expiresAt < now)
        {
            return new CodeAttempt(ErrorCodes.ActivationCodeInvalid, failures, false, false);
        }

        if (CryptographicOperations.FixedTimeEquals(storedHash, HashCode(given.Trim().ToUpperInvariant())))
        {
            return new CodeAttempt(null, failures, false, false);
        }

        var counted = failures + 1;
        return new CodeAttempt(ErrorCodes.ActivationCodeInvalid, counted, counted >= maxAttempts, true);
    }

    /// <summary>Non-revoked phones (suspended ones count) at or over the limit: no new binding.</summary>
    public static bool DeviceLimitReached(IEnumerable<CredentialRecord> credentials, int maxActive) =>
        credentials.Count(c => c.Status != CredentialStatus.Revoked) >= maxActive;

    /// <summary>The end of a new phone's cooling-off: remote (substantial) bindings only; none when it is set to zero.</summary>
    public static DateTimeOffset? ProvisionalUntil(Assurance assurance, DateTimeOffset now, TimeSpan coolingOff) =>
        assurance == Assurance.Substantial && coolingOff > TimeSpan.Zero ? now + coolingOff : null;

    /// <summary>
    /// Whether this citizen may use a capture challenge: not used before, and fewer than <see cref="MaxUsedChallenges"/>
    /// unexpired ones held. Forgets the ones expired by more than the clock skew first (a silo whose clock is behind
    /// still takes a challenge until its own clock says it expired, so its mark must outlive that).
    /// </summary>
    public static bool ChallengeUsable(List<UsedChallenge> used, byte[] challengeId, DateTimeOffset now, TimeSpan clockSkew)
    {
        used.RemoveAll(u => u.ExpiresAt + clockSkew < now);
        return used.Count < MaxUsedChallenges && !used.Any(u => CryptographicOperations.FixedTimeEquals(u.Id, challengeId));
    }
}
