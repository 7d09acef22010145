using Microsoft.Extensions.DependencyInjection;
using NationalId.Capture;
using NationalId.Citizens;
using NationalId.Client.Capture;

namespace NationalId.Tests.Support;

/// <summary>
/// Attested remote captures for grain tests: the capture services with the development vendor trusted, and an
/// activation whose face the development SDK attested for a challenge the cluster issued.
/// </summary>
public static class TestCaptures
{
    public static IServiceCollection AddTestCaptures(this IServiceCollection services)
    {
        services.AddCaptureAttestation();
        services.PostConfigure<NationalIdOptions>(o =>
        {
            if (o.CaptureVendors.All(v => v.Id != CaptureSdk.DevelopmentVendorId))
            {
                o.CaptureVendors.Add(DevelopmentVendor);
            }
        });
        return services;
    }

    public static CaptureVendorOptions DevelopmentVendor => new()
    {
        Id = CaptureSdk.DevelopmentVendorId,
        Name = "Development capture SDK",
        PublicKey = CaptureSdk.DevelopmentPublicKey,
    };

    /// <summary>A remote activation with the face attested now (by the silo's clock) for a fresh challenge of this silo.</summary>
    public static DeviceActivation Attested(IServiceProvider silo, byte[] devicePublicKey, FaceSample face, string? label = null)
    {
        var now = silo.GetRequiredService<TimeProvider>().GetUtcNow();
        var (challenge, _) = silo.GetRequiredService<CaptureChallenges>().Issue(now);
        var capture = CaptureSdk.Development.AttestCapture(face.Template, face.Liveness, challenge, devicePublicKey, now);
        return new DeviceActivation(devicePublicKey, face, null, label, capture);
    }
}
