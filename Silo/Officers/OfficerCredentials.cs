using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OtpNet;

namespace NationalId.Silo.Officers;

/// <summary>
/// Officers' passwords: PBKDF2-HMAC-SHA256 with a per-officer random salt, stored as
/// <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (base64), compared in constant time. The iteration count is in the stored
/// value, so raising it later re-hashes at the next successful sign-in (<see cref="NeedsRehash"/>). Pure.
/// </summary>
public static class OfficerPasswords
{
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int Iterations = 600_000;

    public const int MinimumLength = 12;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password, int iterations = Iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether the password matches; false for anything stored in another form (fail closed).</summary>
    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > 10_000_000)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            (salt, expected) = (Convert.FromBase64String(parts[2]), Convert.FromBase64String(parts[3]));
        }
        catch (FormatException)
        {
            return false;
        }

        if (salt.Length != SaltBytes || expected.Length != HashBytes)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    public static bool NeedsRehash(string stored, int iterations = Iterations) =>
        !stored.StartsWith($"{Scheme}${iterations.ToString(CultureInfo.InvariantCulture)}$", StringComparison.Ordinal);

    /// <summary>Why a new password is refused, or null: at least <see cref="MinimumLength"/> characters, not all one kind.</summary>
    public static string? Problem(string? password) =>
        password is null || password.Length < MinimumLength ? $"at least {MinimumLength} characters"
        : password.Length > 256 ? "at most 256 characters"
        : password.Distinct().Count() < 6 ? "at least 6 different characters"
        : null;
}

/// <summary>
/// The second factor: TOTP (RFC 6238, 30-second steps, 6 digits, SHA-1 as authenticator apps use it), one step of
/// clock drift either way, and each time step usable once (a code seen over a shoulder or replayed from a log is
/// refused once its step was used). Pure: time and the last used step are passed in.
/// </summary>
public static class OfficerTotp
{
    public const int SecretBytes = 20;

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    /// <summary>What an authenticator app scans (otpauth URI); shown once, when the officer's second factor is set up.</summary>
    public static string EnrollmentUri(byte[] secret, string officerId) =>
        $"otpauth://totp/NationalId:{officerId}?secret={Base32Encoding.ToString(secret).TrimEnd('=')}&issuer=NationalId&digits=6&period=30";

    /// <summary>The code of a time step (tests, the development tool).</summary>
    public static string Code(byte[] secret, DateTimeOffset at) => new Totp(secret).ComputeTotp(at.UtcDateTime);

    /// <summary>
    /// The matched time step when <paramref name="code"/> is right now (±1 step) and its step is later than
    /// <paramref name="lastUsedStep"/>; otherwise null.
    /// </summary>
    public static long? Verify(byte[] secret, string? code, DateTimeOffset now, long lastUsedStep)
    {
        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit))
        {
            return null;
        }

        return new Totp(secret).VerifyTotp(now.UtcDateTime, code, out var step, new VerificationWindow(previous: 1, future: 1)) && step > lastUsedStep
            ? step
            : null;
    }
}

/// <summary>Pseudonymous officer ids: 8 characters of Crockford base32 (40 random bits), never the login name.</summary>
public static class OfficerIds
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[5];
        RandomNumberGenerator.Fill(bytes);
        ulong value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        var id = new char[8];
        for (var i = 7; i >= 0; i--)
        {
            id[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(id);
    }

    public static bool IsValid(string? id) => id is { Length: 8 } && id.All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    /// <summary>A service hall's id: <c>h-</c> and 8 characters of the same alphabet.</summary>
    public static string NewHall() => "h-" + New();
}
