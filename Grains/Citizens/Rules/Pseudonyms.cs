using System.Security.Cryptography;
using System.Text;
using NationalId.Security;

namespace NationalId.Citizens.Rules;

/// <summary>Per-citizen, per-RP pseudonyms: stable for one RP, unlinkable across RPs without the citizen's secret.</summary>
public static class Pseudonyms
{
    public static string For(byte[] citizenSecret, string relyingPartyId)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(citizenSecret, Encoding.UTF8.GetBytes("NID-PSEUDONYM-v1|" + relyingPartyId), mac);
        return "p-" + Base32.Encode(mac, 32);
    }
}
