using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NationalId.Protocol;

namespace NationalId.Tests.Protocol;

/// <summary>
/// The vectors in docs/reference/protocol.md were made by an independent Python implementation (tests/vectors/); our C# opens
/// them byte for byte. If this fails, either the code or the document changed the wire format.
/// </summary>
public class PresentationTestVectorTests
{
    public static TheoryData<string> Vectors => new() { "presentation-vector.json", "presentation-vector-x25519.json" };

    private static JsonElement Load(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protocol", file))).RootElement;

    private static string S(JsonElement v, string name) => v.GetProperty(name).GetString()!;

    private static byte[] B(JsonElement v, string name) => Base64Url.TryDecode(S(v, name), out var bytes) ? bytes : throw new FormatException(name);

    private static PresentationPrivateKey ServiceKey(JsonElement v)
    {
        if (v.GetProperty("suite").GetInt32() == ProtocolConstants.SuiteX25519)
        {
            return X25519PresentationKey.FromRawPrivateKey(Convert.FromBase64String(S(v, "servicePrivateKeyRaw")));
        }

        var key = ECDiffieHellman.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(S(v, "servicePrivateKeyPkcs8")), out _);
        return new P256PresentationKey(key);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_independently_made_vector_opens_with_every_field_as_documented(string file)
    {
        var v = Load(file);
        var service = ServiceKey(v);
        var keyId = v.GetProperty("keyId").GetUInt32();

        Assert.Equal(PresentationError.None, PresentationCodec.TryOpen(S(v, "presentation"), id => id == keyId ? service : null, out var payload));
        Assert.Equal(B(v, "credentialId"), payload!.CredentialId);
        Assert.Equal(B(v, "nonce"), payload.Nonce);
        Assert.Equal(S(v, "citizenHandle"), payload.CitizenHandle);
        Assert.Equal(v.GetProperty("issuedAtMs").GetInt64(), payload.IssuedAt.ToUnixTimeMilliseconds());

        var header = Convert.FromHexString(S(v, "headerHex"));
        var plaintext = Convert.FromHexString(S(v, "plaintextHex"));
        var expectedSigned = Encoding.ASCII.GetBytes("NID-PRESENTATION-v1").Concat(header).Concat(plaintext[..^64]).ToArray();
        Assert.Equal(expectedSigned, payload.SignedBytes);
        Assert.Equal(Convert.FromHexString(S(v, "signatureHex")), payload.Signature);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_vector_signature_verifies_with_the_device_public_key(string file)
    {
        var v = Load(file);
        Assert.True(PresentationCodec.TryDecodePoint(B(v, "devicePublicKey"), out var parameters));
        using var device = ECDsa.Create(parameters);
        var header = Convert.FromHexString(S(v, "headerHex"));
        var plaintext = Convert.FromHexString(S(v, "plaintextHex"));
        var signed = Encoding.ASCII.GetBytes("NID-PRESENTATION-v1").Concat(header).Concat(plaintext[..^64]).ToArray();
        Assert.True(DeviceRequestSignature.Verify(device, signed, plaintext[^64..]));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_vector_key_schedule_matches_ours(string file)
    {
        var v = Load(file);
        var secret = Convert.FromHexString(S(v, "sharedSecretHex"));
        var header = Convert.FromHexString(S(v, "headerHex"));
        var okm = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 44, salt: [], info: [.. "NID presentation v1"u8.ToArray(), .. header]);
        Assert.Equal(S(v, "aesKeyHex"), Convert.ToHexStringLower(okm[..32]));
        Assert.Equal(S(v, "ivHex"), Convert.ToHexStringLower(okm[32..]));
    }
}
