using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace NationalId.Client.Load;

/// <summary>Writes a run's report: report.md (with the machine), report.json, and a chart-TARGET.png per target.</summary>
public static class ReportFiles
{
    public static void Write(string directory, string title, IReadOnlyList<LoadReport> reports)
    {
        Directory.CreateDirectory(directory);
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {title}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:u} on {Machine()}");
        md.AppendLine();
        foreach (var report in reports)
        {
            md.Append(report.ToMarkdown());
            md.AppendLine();
            if (report.RejectionsByReason.Count > 0)
            {
                md.AppendLine("Rejections: " + string.Join(", ", report.RejectionsByReason.Select(kv => $"{kv.Key} {kv.Value}")));
                md.AppendLine();
            }

            var chart = $"chart-{Safe(report.Target)}.png";
            File.WriteAllBytes(Path.Combine(directory, chart), PngChart.Render(report.Timeline ?? []));
            md.AppendLine(CultureInfo.InvariantCulture, $"![verifications per second and p99 latency over time]({chart})");
            md.AppendLine();
        }

        File.WriteAllText(Path.Combine(directory, "report.md"), md.ToString());
        File.WriteAllText(Path.Combine(directory, "report.json"), JsonSerializer.Serialize(reports, ApiClientJson.Options));
    }

    public static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} CPUs ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }

    private static string Safe(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
}
