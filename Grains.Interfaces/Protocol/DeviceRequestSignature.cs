using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NationalId.Protocol;

/// <summary>
/// Requests a wallet signs with its device key (activation, lost-phone actions, lock, history and event reads). The
/// signed bytes are
/// "NID-DEVICE-REQUEST-v1\n" ‖ METHOD ‖ "\n" ‖ path with query string ‖ "\n" ‖ timestamp (unix ms) ‖ "\n" ‖ hex(SHA-256(body)), sent in
/// the headers <see cref="TimestampHeader"/> and <see cref="SignatureHeader"/> (base64url, r ‖ s), and for an
/// existing credential <see cref="CredentialHeader"/> = handle "." base64url(credentialId).
/// </summary>
public static class DeviceRequestSignature
{
    public const string CredentialHeader = "X-Nid-Credential";
    public const string TimestampHeader = "X-Nid-Timestamp";
    public const string SignatureHeader = "X-Nid-Signature";

    /// <summary>How far a device's clock may be from ours.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static byte[] SignedBytes(string method, string path, long timestampMs, ReadOnlySpan<byte> body)
    {
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"NID-DEVICE-REQUEST-v1\n{method.ToUpperInvariant()}\n{path}\n{timestampMs}\n{bodyHash}");
        return Encoding.ASCII.GetBytes(text);
    }

    public static string Sign(ECDsa deviceKey, string method, string path, long timestampMs, ReadOnlySpan<byte> body) =>
        Base64Url.Encode(deviceKey.SignData(
            SignedBytes(method, path, timestampMs, body),
            HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public static bool Verify(ECDsa publicKey, byte[] signedBytes, byte[] signature) =>
        signature.Length == ProtocolConstants.SignatureLength
        && publicKey.VerifyData(signedBytes, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>Formats the credential header value.</summary>
    public static string CredentialReference(string handle, byte[] credentialId) => $"{handle}.{Base64Url.Encode(credentialId)}";

    public static bool TryParseCredentialReference(string? value, out string handle, out byte[] credentialId)
    {
        handle = string.Empty;
        credentialId = [];
        var dot = value?.LastIndexOf('.') ?? -1;
        if (value is null || dot <= 0 || dot > ProtocolConstants.MaxHandleLength)
        {
            return false;
        }

        handle = value[..dot];
        return Base64Url.TryDecode(value[(dot + 1)..], out credentialId) && credentialId.Length == ProtocolConstants.CredentialIdLength;
    }
}
