using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NationalId.IdNumbers;
using NationalId.Security;

namespace NationalId.Citizens;

/// <summary>
/// Computes the citizen handle, the only key by which a citizen is known inside the service:
/// "c" ‖ home province (2 digits, for regional placement) ‖ "-" ‖ base32(HMAC-SHA256(secret, ID number))[..32].
/// The hyphen makes it never all-hex (Orleans' ADO.NET storage parses such keys as numbers). Looking a citizen up by
/// ID number recomputes the handle: there is no index table.
/// </summary>
public sealed class CitizenHandles
{
    private readonly byte[] _secret;

    public CitizenHandles(IOptions<NationalIdOptions> options)
        : this(Convert.FromBase64String(options.Value.HandleSecret))
    {
    }

    public CitizenHandles(byte[] secret)
    {
        if (secret.Length < 32)
        {
            throw new ArgumentException("The handle secret needs at least 32 bytes.", nameof(secret));
        }

        _secret = secret;
    }

    public string For(ResidentIdNumber idNumber)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes("NID-HANDLE-v1|" + idNumber.Value), mac);
        return "c" + idNumber.ProvinceCode + "-" + Base32.Encode(mac, 32);
    }

    /// <summary>The home province carried by a handle, or null when the text is not a handle.</summary>
    public static string? ProvinceOf(string handle) =>
        handle.Length == 36 && handle[0] == 'c' && handle[3] == '-' && Province.IsKnown(handle.Substring(1, 2))
            ? handle.Substring(1, 2)
            : null;
}
