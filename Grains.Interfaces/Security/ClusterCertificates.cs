using System.Security.Cryptography.X509Certificates;

namespace NationalId.Security;

/// <summary>
/// Where a cluster member's TLS material is (configuration section <c>Orleans:Tls</c>, environment
/// <c>Orleans__Tls__*</c>): its own certificate with private key, either PKCS#12 (<c>.pfx</c>/<c>.p12</c>, with
/// <see cref="CertificatePassword"/>) or PEM (with the key in <see cref="KeyPath"/>, as a Kubernetes Secret mounts it),
/// and the cluster's private CA certificate (PEM).
/// </summary>
public sealed record ClusterTlsSettings(string CertificatePath, string? CertificatePassword, string CaPath, string? KeyPath = null)
{
    public const string Section = "Orleans:Tls";

    /// <summary>The same settings from the environment, as the silo reads them; null when none are set.</summary>
    public static ClusterTlsSettings? FromEnvironment() =>
        Environment.GetEnvironmentVariable("Orleans__Tls__CertificatePath") is { Length: > 0 } path
            ? new(path, Environment.GetEnvironmentVariable("Orleans__Tls__CertificatePassword"), Environment.GetEnvironmentVariable("Orleans__Tls__CaPath") ?? string.Empty,
                Environment.GetEnvironmentVariable("Orleans__Tls__KeyPath"))
            : null;
}

/// <summary>
/// Mutual TLS between silos and between clients and gateways: every member holds a certificate issued by the
/// cluster's own private CA, and a connection is accepted only when the other side shows one too (both directions).
/// Being issued by that CA is what makes a process a member; names are not checked (silos address each other by IP).
/// Pure certificate logic: each host wires it into Orleans' TLS options.
/// </summary>
public static class ClusterCertificates
{
    /// <summary>Loads a member's certificate and the cluster CA; a missing or unreadable file stops the start, naming it.</summary>
    public static (X509Certificate2 Member, X509Certificate2 Ca) Load(ClusterTlsSettings settings)
    {
        X509Certificate2 member, ca;
        try
        {
            if (settings.CertificatePath.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || settings.CertificatePath.EndsWith(".p12", StringComparison.OrdinalIgnoreCase))
            {
                member = X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath, settings.CertificatePassword);
            }
            else
            {
                // PEM certificate and key; exported and loaded again so the key is usable by TLS on every platform.
                using var pem = X509Certificate2.CreateFromPemFile(settings.CertificatePath, settings.KeyPath);
                member = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Orleans:Tls:CertificatePath ({settings.CertificatePath}) is not a readable PKCS#12 file with its password, or a PEM certificate with its key in Orleans:Tls:KeyPath: {ex.GetType().Name}.", ex);
        }

        try
        {
            var pem = File.ReadAllText(settings.CaPath);
            var fields = System.Security.Cryptography.PemEncoding.Find(pem);
            if (pem[fields.Label] is not "CERTIFICATE")
            {
                throw new ArgumentException("not a certificate");
            }

            ca = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(pem[fields.Base64Data]));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"Orleans:Tls:CaPath ({settings.CaPath}) is not a readable PEM certificate: {ex.GetType().Name}.", ex);
        }

        if (!member.HasPrivateKey)
        {
            throw new InvalidOperationException("Orleans:Tls:CertificatePath holds no private key.");
        }

        if (!IsMember(member, ca))
        {
            throw new InvalidOperationException("The certificate in Orleans:Tls:CertificatePath is not issued by the CA in Orleans:Tls:CaPath (or has expired).");
        }

        return (member, ca);
    }

    /// <summary>True when <paramref name="presented"/> chains to <paramref name="ca"/> and nothing else, and is valid now.</summary>
    public static bool IsMember(X509Certificate2? presented, X509Certificate2 ca)
    {
        if (presented is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // rotation issues new member certificates (deploy/k8s/README.md)
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(presented)
            && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span);
    }
}
