using System.Security.Cryptography;
using NationalId.Verification;

namespace NationalId.Tests.Support;

/// <summary>
/// Command-line settings of a test silo: its own cluster id and ports, fresh secrets, a P-256 presentation key (id 1)
/// and the current X25519 one (id 2), the operator key. Shared by the in-process gateway and the real-process silo.
/// </summary>
public static class SiloArguments
{
    /// <summary>The registration authority's key pair for every test silo: the private half opens sealed registrations.</summary>
    public static NSec.Cryptography.Key AuthorityKey { get; } = NSec.Cryptography.Key.Create(
        NSec.Cryptography.KeyAgreementAlgorithm.X25519, new NSec.Cryptography.KeyCreationParameters { ExportPolicy = NSec.Cryptography.KeyExportPolicies.AllowPlaintextExport });

    public const uint AuthorityKeyId = 7;

    public static string[] Make(string clusterId, string operatorKey, ECDiffieHellman p256PresentationKey) =>
        [.. Ports(), .. Shared(clusterId, operatorKey, p256PresentationKey)];

    /// <summary>A silo's own ports (silo-to-silo and client gateway).</summary>
    public static string[] Ports() => [$"--Orleans:SiloPort={FreePort.Next()}", $"--Orleans:GatewayPort={FreePort.Next()}"];

    /// <summary>What every silo of one cluster shares: cluster id, secrets, keys.</summary>
    public static string[] Shared(string clusterId, string operatorKey, ECDiffieHellman p256PresentationKey) =>
    [
        $"--Orleans:ClusterId={clusterId}",
        $"--NationalId:HandleSecret={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}",
        "--NationalId:MasterKeys:0:Id=1",
        $"--NationalId:MasterKeys:0:Key={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}",
        "--NationalId:CurrentMasterKeyId=1",
        $"--NationalId:Authority:KeyId={AuthorityKeyId}",
        $"--NationalId:Authority:PublicKey={Convert.ToBase64String(AuthorityKey.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey))}",
        "--NationalId:PresentationKeys:0:Id=1",
        $"--NationalId:PresentationKeys:0:PrivateKey={Convert.ToBase64String(p256PresentationKey.ExportPkcs8PrivateKey())}",
        "--NationalId:PresentationKeys:1:Id=2",
        "--NationalId:PresentationKeys:1:Suite=2",
        $"--NationalId:PresentationKeys:1:PrivateKey={PresentationKeyRing.NewX25519PrivateKey()}",
        "--NationalId:CurrentPresentationKeyId=2",
        $"--Gateway:OperatorKey={operatorKey}",
        $"--NationalId:CaptureVendors:0:Id={NationalId.Client.Capture.CaptureSdk.DevelopmentVendorId}",
        "--NationalId:CaptureVendors:0:Name=Development capture SDK",
        // The flows under test are a citizen's once a remotely bound phone's cooling-off is over; the cooling-off itself
        // is tested at its default (TrustBoundaries/ProvisionalPhoneTests, on CoolingOffGatewayFixture).
        "--NationalId:RemoteBindingCoolingOff=00:00:00",
        // Every test client is on loopback; the per-source limits are tested by a gateway that trusts loopback as a
        // proxy and limits the sources named in X-Forwarded-For (TrustBoundaries/SourceRateLimitTests).
        "--Gateway:RateLimits:ExemptNetworks:0=127.0.0.0/8",
        "--Gateway:RateLimits:ExemptNetworks:1=::1/128",
        $"--NationalId:CaptureVendors:0:PublicKey={NationalId.Client.Capture.CaptureSdk.DevelopmentPublicKey}",
        .. TestClusterCertificates.SiloArguments(),
        "--Logging:LogLevel:Default=Warning",
    ];
}
