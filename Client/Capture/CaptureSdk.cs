using System.Security.Cryptography;
using NationalId.Api;
using NationalId.Protocol;

namespace NationalId.Client.Capture;

/// <summary>
/// A certified capture SDK, simulated: it signs its statement about a face capture with its vendor's key
/// (docs/reference/protocol.md §4.1). <see cref="Development"/> is the vendor every development silo and test silo trusts.
/// </summary>
public sealed class CaptureSdk(string vendorId, ECDsa vendorKey)
{
    /// <summary>The development vendor's id.</summary>
    public const string DevelopmentVendorId = "nid-dev-capture";

    /// <summary>
    /// The development vendor's private scalar, published here on purpose: anyone can attest anything with it, so its
    /// public key (<see cref="DevelopmentPublicKey"/>) belongs in development and test configuration only, never in
    /// production (docs/decisions/security.md).
    /// </summary>
    private const string DevelopmentScalarHex = "7d1c3b5a9e8f2d4c6b0a1e3f5d7c9b2a4e6f8d0c1b3a5e7f9d2c4b6a8e0f1d3c";

    /// <summary>base64url of the development vendor's 65-byte public point.</summary>
    public const string DevelopmentPublicKey = "BCVg-rmSHaLvQT2r_VXX4w-3BXgxc4oHNkTU1SV7KzJzkmVjJWyfuWgPTJrwgm_DCmuavsB_ag1xGWXp0TGazZI";

    public static CaptureSdk Development { get; } = new(DevelopmentVendorId, FromScalar(DevelopmentScalarHex));

    public string VendorId { get; } = vendorId;

    /// <summary>A vendor with a fresh key (register it to make it trusted).</summary>
    public static CaptureSdk NewVendor(string vendorId) => new(vendorId, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public string PublicKey => Base64Url.Encode(PresentationCodec.EncodePoint(vendorKey.ExportParameters(false).Q));

    /// <summary>The face with this SDK's attestation for the given challenge and the public key the phone is binding.</summary>
    public FaceInput Attest(FaceInput face, byte[] challenge, byte[] devicePublicKey, DateTimeOffset capturedAt)
    {
        var capturedAtMs = capturedAt.ToUnixTimeMilliseconds();
        var statement = CaptureStatement.Build(VendorId, capturedAtMs, face.Liveness!.Value, face.Template, challenge, devicePublicKey);
        var signature = CaptureStatement.Sign(vendorKey, statement);
        return face with { Capture = new CaptureInput(VendorId, capturedAtMs, Base64Url.Encode(challenge), Base64Url.Encode(signature)) };
    }

    /// <summary>The attestation of a capture as the grain receives it (for tests that call grains directly).</summary>
    public Citizens.CaptureAttestation AttestCapture(float[] template, double liveness, byte[] challenge, byte[] devicePublicKey, DateTimeOffset capturedAt)
    {
        var capturedAtMs = capturedAt.ToUnixTimeMilliseconds();
        var signature = CaptureStatement.Sign(vendorKey, CaptureStatement.Build(VendorId, capturedAtMs, liveness, template, challenge, devicePublicKey));
        return new Citizens.CaptureAttestation(VendorId, capturedAtMs, challenge, signature);
    }

    private static ECDsa FromScalar(string hex)
    {
        var d = Convert.FromHexString(hex);
        using var derive = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
        var full = derive.ExportParameters(true);
        return ECDsa.Create(full);
    }
}
