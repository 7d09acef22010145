using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NationalId.Citizens;
using NationalId.Protocol;

namespace NationalId.Capture;

/// <summary>
/// Decides whether a remote face capture is attested (docs/reference/protocol.md §4.1): a trusted vendor signed the statement
/// built from this face, this public key and a challenge this service issued, and the capture was made after the
/// challenge was issued and before it expired. Whether the challenge was used before is the citizen grain's check.
/// </summary>
public sealed class CaptureVerifier(CaptureVendorDirectory vendors, CaptureChallenges challenges, IOptions<NationalIdOptions> options)
{
    private readonly TimeSpan _skew = options.Value.PresentationClockSkew;

    /// <summary>The challenge's expiry when the capture is attested; null otherwise (never throws on hostile input).</summary>
    public async ValueTask<DateTimeOffset?> Check(FaceSample face, CaptureAttestation? capture, byte[] publicKey, DateTimeOffset now)
    {
        if (capture is null || !CaptureStatement.IsVendorId(capture.VendorId) || capture.Challenge is null || capture.Signature is null
            || publicKey.Length != ProtocolConstants.PublicKeyLength || face.Template is null
            || !challenges.TryOpen(capture.Challenge, out var issuedAt))
        {
            return null;
        }

        var expiresAt = issuedAt + challenges.Lifetime;
        var capturedAt = capture.CapturedAtMs;
        if (now > expiresAt || issuedAt > now + _skew
            || capturedAt < (issuedAt - _skew).ToUnixTimeMilliseconds() || capturedAt > (now + _skew).ToUnixTimeMilliseconds())
        {
            return null;
        }

        if (await vendors.KeyFor(capture.VendorId) is not { } vendorKey)
        {
            return null;
        }

        var statement = CaptureStatement.Build(capture.VendorId, capturedAt, face.Liveness, face.Template, capture.Challenge, publicKey);
        try
        {
            using var key = ECDsa.Create(vendorKey);
            return CaptureStatement.Verify(key, statement, capture.Signature) ? expiresAt : null;
        }
        catch (CryptographicException)
        {
            return null; // a registered key that is not on the curve trusts nothing
        }
    }

    /// <summary>The challenge's single-use key: its MAC half, unique per challenge.</summary>
    public static byte[] ChallengeId(byte[] challenge) => challenge[16..];
}

public static class CaptureServices
{
    /// <summary>Challenges, the vendor directory and the verifier; every silo and the grain test clusters need them.</summary>
    public static IServiceCollection AddCaptureAttestation(this IServiceCollection services) => services
        .AddSingleton<CaptureChallenges>()
        .AddSingleton<CaptureVendorDirectory>()
        .AddSingleton<CaptureVerifier>();
}
