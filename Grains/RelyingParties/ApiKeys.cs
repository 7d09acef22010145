using System.Security.Cryptography;
using System.Text;
using NationalId.Protocol;
using NationalId.Security;

namespace NationalId.RelyingParties;

/// <summary>
/// RP ids and API keys. A key is "{rpId}.{secret}" with a 256-bit random secret; only SHA-256 of the secret is
/// stored (a high-entropy secret needs no slow hash). Keys are shown once, at registration.
/// </summary>
public static class ApiKeys
{
    /// <summary>
    /// "rp-" ‖ province of registration ‖ "-" ‖ 16 base32 characters: the province lets placement put the RP's grain
    /// in its own region without a lookup (<see cref="Placement.RegionMap"/>).
    /// </summary>
    public static string NewRelyingPartyId(string province) => "rp-" + province + "-" + Base32.Encode(RandomNumberGenerator.GetBytes(10));

    /// <summary>Whether the text has the shape of an RP id: "rp-", a province code, "-" and 16 base32 characters.</summary>
    public static bool IsRelyingPartyId(string? text)
    {
        if (text is not { Length: 22 } || !text.StartsWith("rp-", StringComparison.Ordinal) || text[5] != '-'
            || !IdNumbers.Province.IsKnown(text.Substring(3, 2)))
        {
            return false;
        }

        foreach (var c in text.AsSpan(6))
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '2' and <= '7')))
            {
                return false;
            }
        }

        return true;
    }

    public static (string Key, byte[] Hash) NewKey(string relyingPartyId)
    {
        var secret = Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
        return ($"{relyingPartyId}.{secret}", Hash(secret));
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <summary>Splits "{rpId}.{secret}"; false when the text cannot be a key.</summary>
    public static bool TryParse(string? key, out string relyingPartyId, out string secret)
    {
        relyingPartyId = secret = string.Empty;
        if (key is null || key.Length > 200)
        {
            return false;
        }

        var dot = key.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 3 || dot == key.Length - 1 || !key.StartsWith("rp-", StringComparison.Ordinal))
        {
            return false;
        }

        relyingPartyId = key[..dot];
        secret = key[(dot + 1)..];
        return IsRelyingPartyId(relyingPartyId);
    }

    public static bool Matches(RelyingPartyPolicy policy, string secret)
    {
        var hash = Hash(secret);
        var ok = false;
        foreach (var stored in policy.ApiKeyHashes)
        {
            ok |= CryptographicOperations.FixedTimeEquals(stored, hash);
        }

        return ok;
    }
}
