using System.Security.Cryptography;
using System.Text.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Protocol;

namespace NationalId.Tests.Protocol;

/// <summary>
/// The capture-attestation vector in docs/reference/protocol.md §4.1 was made by an independent Python implementation of the
/// document (tests/vectors/make_capture_vector.py); our C# must rebuild the same statement, from the fields and from
/// the request's JSON as a wallet sends it, and accept the vendor's signature.
/// </summary>
public class CaptureTestVectorTests
{
    private static readonly JsonElement Vector =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Protocol", "capture-vector.json"))).RootElement;

    private static byte[] B64(string name) => Base64Url.TryDecode(Vector.GetProperty(name).GetString(), out var bytes) ? bytes : throw new FormatException(name);

    private static byte[] Hex(string name) => Convert.FromHexString(Vector.GetProperty(name).GetString()!);

    [Fact]
    public void The_statement_rebuilt_from_the_wallets_json_is_the_independent_implementations_and_its_signature_verifies()
    {
        // The face object exactly as a wallet sends it, parsed the way the gateway parses a request.
        var face = JsonSerializer.Deserialize<FaceInput>(Vector.GetProperty("face").GetRawText(), ApiClientJson.Options)!;
        Assert.True(Base64Url.TryDecode(face.Capture!.Challenge, out var challenge));
        Assert.True(Base64Url.TryDecode(face.Capture.Signature, out var signature));
        Assert.Equal(Hex("templateHashHex"), CaptureStatement.TemplateHash(face.Template));

        var statement = CaptureStatement.Build(face.Capture.Vendor!, face.Capture.CapturedAtMs!.Value, face.Liveness!.Value, face.Template, challenge, B64("devicePublicKey"));
        Assert.Equal(Hex("statementHex"), statement);
        Assert.Equal(Hex("signatureHex"), signature);
        Assert.True(PresentationCodec.TryDecodePoint(B64("vendorPublicKey"), out var vendorParameters));
        using var vendor = ECDsa.Create(vendorParameters);
        Assert.True(CaptureStatement.Verify(vendor, statement, signature));

        // One bit of any part changed: not the signed statement any more.
        var flipped = (byte[])statement.Clone();
        flipped[Random.Shared.Next(flipped.Length)] ^= (byte)(1 << Random.Shared.Next(8));
        Assert.False(CaptureStatement.Verify(vendor, flipped, signature));
    }
}
