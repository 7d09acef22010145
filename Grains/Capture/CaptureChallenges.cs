using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NationalId.Protocol;

namespace NationalId.Capture;

/// <summary>
/// Challenges for remote face captures, stateless: 0x01 ‖ issued-at (Unix ms, 8 bytes big-endian) ‖ 7 random bytes ‖
/// the first 16 bytes of HMAC-SHA256 over those 16 bytes. Any silo checks any silo's challenge without a table, and
/// issuing one costs no activation and no storage (the route is open to the internet). The key is derived from the
/// handle secret, which every silo holds, under a label of its own. Single use is the citizen grain's: it stores
/// the challenges its citizen consumed until they expire.
/// </summary>
public sealed class CaptureChallenges
{
    private const byte Version = 0x01;
    private const int MacOffset = 16;
    private readonly byte[] _key;
    private readonly TimeSpan _lifetime;

    public CaptureChallenges(IOptions<NationalIdOptions> options)
    {
        var secret = Convert.FromBase64String(options.Value.HandleSecret);
        if (secret.Length < 32)
        {
            throw new ArgumentException("The handle secret needs at least 32 bytes.", nameof(options));
        }

        _key = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes("NID-CAPTURE-CHALLENGE-KEY-v1"));
        _lifetime = options.Value.CaptureChallengeLifetime;
    }

    public TimeSpan Lifetime => _lifetime;

    public (byte[] Challenge, DateTimeOffset ExpiresAt) Issue(DateTimeOffset now)
    {
        var challenge = new byte[CaptureStatement.ChallengeLength];
        challenge[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(challenge.AsSpan(1), now.ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(challenge.AsSpan(9, MacOffset - 9));
        Mac(challenge.AsSpan(0, MacOffset), challenge.AsSpan(MacOffset));
        return (challenge, DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(challenge.AsSpan(1))) + _lifetime);
    }

    /// <summary>True when this service issued the challenge; gives its issue time (not yet checked against any clock).</summary>
    public bool TryOpen(ReadOnlySpan<byte> challenge, out DateTimeOffset issuedAt)
    {
        issuedAt = default;
        if (challenge.Length != CaptureStatement.ChallengeLength || challenge[0] != Version)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[CaptureStatement.ChallengeLength - MacOffset];
        Mac(challenge[..MacOffset], expected);
        var ms = BinaryPrimitives.ReadInt64BigEndian(challenge[1..]);
        if (!CryptographicOperations.FixedTimeEquals(expected, challenge[MacOffset..]) || ms < 0 || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    private void Mac(ReadOnlySpan<byte> data, Span<byte> truncated)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, data, mac);
        mac[..truncated.Length].CopyTo(truncated);
    }
}
