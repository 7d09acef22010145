using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NationalId.Protocol;

namespace NationalId.Tests.Protocol;

/// <summary>
/// The vector in docs/protocol.md was made by an independent Python implementation (tests/vectors/); our C# opens
/// it byte for byte. If this fails, either the code or the document changed the wire format.
/// </summary>
public class PresentationTestVectorTests
{
    private static readonly JsonElement Vector =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protocol", "presentation-vector.json"))).RootElement;

    private static string S(string name) => Vector.GetProperty(name).GetString()!;

    private static byte[] B(string name) => Base64Url.TryDecode(S(name), out var bytes) ? bytes : throw new FormatException(name);

    [Fact]
    public void The_independently_made_vector_opens_with_every_field_as_documented()
    {
        using var service = ECDiffieHellman.Create();
        service.ImportPkcs8PrivateKey(Convert.FromBase64String(S("servicePrivateKeyPkcs8")), out _);
        var keyId = Vector.GetProperty("keyId").GetUInt32();

        Assert.Equal(PresentationError.None, PresentationCodec.TryOpen(S("presentation"), id => id == keyId ? service : null, out var payload));
        Assert.Equal(B("credentialId"), payload!.CredentialId);
        Assert.Equal(B("nonce"), payload.Nonce);
        Assert.Equal(S("citizenHandle"), payload.CitizenHandle);
        Assert.Equal(Vector.GetProperty("issuedAtMs").GetInt64(), payload.IssuedAt.ToUnixTimeMilliseconds());

        var header = Convert.FromHexString(S("headerHex"));
        var plaintext = Convert.FromHexString(S("plaintextHex"));
        var expectedSigned = Encoding.ASCII.GetBytes("NID-PRESENTATION-v1").Concat(header).Concat(plaintext[..^64]).ToArray();
        Assert.Equal(expectedSigned, payload.SignedBytes);
        Assert.Equal(Convert.FromHexString(S("signatureHex")), payload.Signature);
    }

    [Fact]
    public void The_vector_signature_verifies_with_the_device_public_key()
    {
        Assert.True(PresentationCodec.TryDecodePoint(B("devicePublicKey"), out var parameters));
        using var device = ECDsa.Create(parameters);
        var header = Convert.FromHexString(S("headerHex"));
        var plaintext = Convert.FromHexString(S("plaintextHex"));
        var signed = Encoding.ASCII.GetBytes("NID-PRESENTATION-v1").Concat(header).Concat(plaintext[..^64]).ToArray();
        Assert.True(DeviceRequestSignature.Verify(device, signed, plaintext[^64..]));
    }

    [Fact]
    public void The_vector_key_schedule_matches_ours()
    {
        var secret = Convert.FromHexString(S("sharedSecretHex"));
        var header = Convert.FromHexString(S("headerHex"));
        var okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 44, salt: [], info: [.. "NID presentation v1"u8.ToArray(), .. header]);
        Assert.Equal(S("aesKeyHex"), Convert.ToHexStringLower(okm[..32]));
        Assert.Equal(S("ivHex"), Convert.ToHexStringLower(okm[32..]));
    }
}
