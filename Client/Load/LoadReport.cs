using System.Globalization;
using System.Text;

namespace NationalId.Client.Load;

/// <summary>The figures of one load run. Latencies in milliseconds.</summary>
public sealed record LoadReport(
    string Target,
    int Requests,
    int Verified,
    int Rejected,
    int Errors,
    double Seconds,
    double Throughput,
    double P50,
    double P90,
    double P99,
    double Max,
    IReadOnlyDictionary<string, int> RejectionsByReason,
    double ServiceCpuSeconds = 0,
    int CrossProvince = 0,
    IReadOnlyList<TimeSeries.Point>? Timeline = null,
    LatencySplit? ColdWarm = null)
{
    /// <summary>Other scenario traffic sent during the run (lost-phone reports, new activations), and how many failed.</summary>
    public int Operations { get; init; }

    public int OperationErrors { get; init; }

    /// <summary>Answered verifications per CPU-second of the service processes (0 when not measured).</summary>
    public double PerServiceCpuSecond => ServiceCpuSeconds > 0 ? (Verified + Rejected) / ServiceCpuSeconds : 0;

    public string ToMarkdown()
    {
        var b = new StringBuilder();
        b.AppendLine("| target | requests | verified | rejected | errors | seconds | verifications/s | p50 ms | p90 ms | p99 ms | max ms | service CPU s | per service CPU-s |");
        b.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        b.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {Target} | {Requests} | {Verified} | {Rejected} | {Errors} | {Seconds:F2} | {Throughput:F0} | {P50:F2} | {P90:F2} | {P99:F2} | {Max:F2} | {ServiceCpuSeconds:F2} | {PerServiceCpuSecond:F0} |"));
        if (Operations > 0)
        {
            b.AppendLine();
            b.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Other traffic: {Operations} lost-phone reports, new activations and re-bindings, {OperationErrors} failed."));
        }

        if (ColdWarm is { Cold: > 0 } split)
        {
            b.AppendLine();
            b.AppendLine("| first verification of a citizen (cold grain) | p50 ms | p99 ms | later ones (warm) | p50 ms | p99 ms |");
            b.AppendLine("|---:|---:|---:|---:|---:|---:|");
            b.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {split.Cold} | {split.ColdP50:F2} | {split.ColdP99:F2} | {split.Warm} | {split.WarmP50:F2} | {split.WarmP99:F2} |"));
        }

        return b.ToString();
    }
}

/// <summary>Latency of first verifications of a citizen in a run (cold grains) and of the others (warm).</summary>
public sealed record LatencySplit(long Cold, double ColdP50, double ColdP99, long Warm, double WarmP50, double WarmP99);
