using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NationalId.Security;

namespace NationalId.Tests.Support;

/// <summary>
/// A private cluster CA and a member certificate for every test silo and Orleans client of this test run (as
/// deploy/local/dev-secrets.sh makes for development), plus a certificate of another CA: what an outsider would hold.
/// </summary>
public static class TestClusterCertificates
{
    private static readonly Lazy<(ClusterTlsSettings Member, ClusterTlsSettings Outsider)> Made = new(Make);

    /// <summary>The cluster's member certificate and CA.</summary>
    public static ClusterTlsSettings Member => Made.Value.Member;

    /// <summary>A certificate of another CA (with the cluster's CA as the one it trusts): refused by the cluster.</summary>
    public static ClusterTlsSettings Outsider => Made.Value.Outsider;

    public static string[] SiloArguments() =>
    [
        $"--Orleans:Tls:CertificatePath={Member.CertificatePath}",
        $"--Orleans:Tls:CertificatePassword={Member.CertificatePassword}",
        $"--Orleans:Tls:CaPath={Member.CaPath}",
    ];

    private static (ClusterTlsSettings, ClusterTlsSettings) Make()
    {
        var dir = Directory.CreateTempSubdirectory("nid-test-tls-").FullName;
        var (caPath, member) = Issue(dir, "cluster");
        var (_, outsider) = Issue(dir, "outsider");
        return (member with { CaPath = caPath }, outsider with { CaPath = caPath });
    }

    private static (string CaPath, ClusterTlsSettings Member) Issue(string dir, string name)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=NationalId test {name} CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        using var memberKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=nationalid-{name}-member", memberKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMonths(6), RandomNumberGenerator.GetBytes(12));
        using var withKey = issued.CopyWithPrivateKey(memberKey);

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var pfx = Path.Combine(dir, $"{name}-member.pfx");
        File.WriteAllBytes(pfx, withKey.Export(X509ContentType.Pkcs12, password));
        var caPath = Path.Combine(dir, $"{name}-ca.pem");
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        return (caPath, new ClusterTlsSettings(pfx, password, caPath));
    }
}
