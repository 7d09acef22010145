using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using NationalId.Protocol;

namespace NationalId.Client.Load;

/// <summary>
/// What one core does with our code alone: open a presentation (key agreement, HKDF, AES-GCM) and check its device
/// signature, with nothing else. The service can never beat this; the CPU-efficiency target compares against the
/// machine's crypto library (`openssl speed ecdhx25519 ecdsap256`, which ./bench.sh runs).
/// </summary>
public static class CryptoBench
{
    public sealed record Result(string Operation, double MicrosecondsPerOp, double OpsPerCoreSecond);

    public static IReadOnlyList<Result> Run(TimeSpan perOperation)
    {
        using var service = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var credentialId = RandomNumberGenerator.GetBytes(16);
        var presentations = Enumerable.Range(0, 2000)
            .Select(_ => PresentationCodec.Seal(device, 1, service.ExportParameters(false), credentialId, "c44-abcdefghijklmnopqrstuvwxyz234567", DateTimeOffset.UtcNow))
            .ToArray();
        PresentationCodec.TryOpen(presentations[0], _ => service, out var sample);
        using var verifier = ECDsa.Create(device.ExportParameters(false));

        var x25519 = X25519PresentationKey.FromRawPrivateKey(Convert.FromBase64String(NewX25519()));
        var xPresentations = Enumerable.Range(0, 2000)
            .Select(_ => PresentationCodec.Seal(device, new ServicePresentationKey(2, ProtocolConstants.SuiteX25519, x25519.PublicKey), credentialId, "c44-abcdefghijklmnopqrstuvwxyz234567", DateTimeOffset.UtcNow))
            .ToArray();

        var open = Measure("open presentation, suite 1 (P-256 ECDH + HKDF + AES-GCM)", perOperation, i => PresentationCodec.TryOpen(presentations[i % presentations.Length], _ => service, out _));
        var openX = Measure("open presentation, suite 2 (X25519 + HKDF + AES-GCM)", perOperation, i => PresentationCodec.TryOpen(xPresentations[i % xPresentations.Length], _ => x25519, out _));
        var verify = Measure("verify device signature (P-256 ECDSA, key cached)", perOperation, _ => DeviceRequestSignature.Verify(verifier, sample!.SignedBytes, sample.Signature));
        return
        [
            open, openX, verify,
            Sum("one presentation, suite 1 (open + verify)", open, verify),
            Sum("one presentation, suite 2 (open + verify)", openX, verify),
        ];
    }

    private static Result Sum(string name, Result a, Result b) =>
        new(name, a.MicrosecondsPerOp + b.MicrosecondsPerOp, 1e6 / (a.MicrosecondsPerOp + b.MicrosecondsPerOp));

    private static string NewX25519()
    {
        using var key = NSec.Cryptography.Key.Create(NSec.Cryptography.KeyAgreementAlgorithm.X25519,
            new NSec.Cryptography.KeyCreationParameters { ExportPolicy = NSec.Cryptography.KeyExportPolicies.AllowPlaintextExport });
        return Convert.ToBase64String(key.Export(NSec.Cryptography.KeyBlobFormat.RawPrivateKey));
    }

    private static Result Measure(string name, TimeSpan duration, Action<int> operation)
    {
        for (var i = 0; i < 200; i++)
        {
            operation(i);
        }

        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (var i = 0; i < 100; i++)
            {
                operation(count++);
            }
        }

        var micro = clock.Elapsed.TotalMicroseconds / count;
        return new Result(name, micro, 1e6 / micro);
    }

    public static string ToMarkdown(IEnumerable<Result> results) =>
        "| operation | µs per op | per core-second |\n|---|---:|---:|\n" + string.Concat(results.Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"| {r.Operation} | {r.MicrosecondsPerOp:F1} | {r.OpsPerCoreSecond:F0} |\n")));
}
