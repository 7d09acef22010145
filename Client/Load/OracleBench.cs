using System.Diagnostics;
using System.Net;
using NationalId.Api;
using NationalId.Client.Faces;
using NationalId.IdNumbers;

namespace NationalId.Client.Load;

/// <summary>
/// Can a phone tell an enrolled ID number from an unknown one by how long remote binding takes to say "face_mismatch"?
/// Enrolls <c>samples</c> citizens, then tries one remote activation with a stranger's face for each of them and for as
/// many numbers nobody enrolled, in random order, each number once (no lockout interferes), and compares the two
/// latency samples: medians, p90, and a Mann–Whitney U test (normal approximation, two-sided).
/// </summary>
public static class OracleBench
{
    public sealed record Report(int Samples, double EnrolledMedianMs, double UnknownMedianMs, double EnrolledP90Ms, double UnknownP90Ms, double Z, double P, int WrongAnswers)
    {
        public string ToMarkdown() =>
            "| numbers | n | median ms | p90 ms |\n|---|---:|---:|---:|\n" +
            FormattableString.Invariant($"| enrolled | {Samples} | {EnrolledMedianMs:F2} | {EnrolledP90Ms:F2} |\n") +
            FormattableString.Invariant($"| unknown | {Samples} | {UnknownMedianMs:F2} | {UnknownP90Ms:F2} |\n\n") +
            FormattableString.Invariant($"Mann–Whitney U: z = {Z:F2}, two-sided p = {P:G3}; answers other than 403 face_mismatch: {WrongAnswers}");
    }

    public static async Task<Report> RunAsync(Uri gateway, string operatorKey, int samples, TextWriter log)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        var run = Random.Shared.Next(1, 900);
        var numbers = Enumerable.Range(0, 2 * (samples + 50))
            .Select(i => ResidentIdNumber.Create("320102", new DateOnly(1940 + (i % 60), 1 + (i % 12), 1 + (i % 28)), 1 + ((run + (i / 420)) % 998)))
            .ToList();
        var enrolled = numbers.Where((_, i) => i % 2 == 0).ToList();
        var unknown = numbers.Where((_, i) => i % 2 == 1).ToList();
        log.WriteLine($"enrolling {enrolled.Count} citizens");
        foreach (var (id, i) in enrolled.Select((id, i) => (id, i)))
        {
            using var response = await http.PostAsOperator(operatorKey, "/v1/operator/citizens",
                new EnrollCitizenRequest(id.Value, "Oracle Test", FaceVectors.Live(FaceVectors.Person(i)), null));
            response.EnsureSuccessStatusCode();
        }

        // Enrolled citizens' grains are collected first: an attacker meets them cold, as it meets unknown numbers.
        using (var deactivate = await http.PostAsOperator(operatorKey, "/v1/operator/diagnostics/deactivate-idle", new { }))
        {
            deactivate.EnsureSuccessStatusCode();
        }

        // The first 50 of each, unmeasured, warm the JIT and the pools; then both kinds in one random order.
        var attempts = enrolled.Select(id => (Id: id, Enrolled: true)).Zip(unknown.Select(id => (Id: id, Enrolled: false)))
            .SelectMany((pair, i) => new[] { (pair.First, Warm: i < 50), (pair.Second, Warm: i < 50) })
            .OrderBy(a => a.Warm ? 0 : 1).ThenBy(_ => Random.Shared.Next()).ToList();
        var times = (Enrolled: new List<double>(), Unknown: new List<double>());
        var wrong = 0;
        var stranger = FaceVectors.Live(FaceVectors.Person(1_000_003));
        foreach (var ((id, isEnrolled), warm) in attempts)
        {
            using var phone = Wallet.Wallet.Create();
            var started = Stopwatch.GetTimestamp();
            using var response = await phone.ActivateAsync(http, id.Value, stranger, null);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.Forbidden || !(await response.Content.ReadAsStringAsync()).Contains("\"face_mismatch\"", StringComparison.Ordinal))
            {
                wrong++;
            }

            if (!warm)
            {
                (isEnrolled ? times.Enrolled : times.Unknown).Add(ms);
            }
        }

        var (z, p) = MannWhitney(times.Enrolled, times.Unknown);
        return new Report(times.Enrolled.Count, Percentile(times.Enrolled, 0.5), Percentile(times.Unknown, 0.5), Percentile(times.Enrolled, 0.9), Percentile(times.Unknown, 0.9), z, p, wrong);
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))];
    }

    /// <summary>Mann–Whitney U with mid-ranks for ties; z from the normal approximation, p two-sided.</summary>
    public static (double Z, double P) MannWhitney(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var all = a.Select(v => (v, First: true)).Concat(b.Select(v => (v, First: false))).OrderBy(x => x.v).ToList();
        double rankSumA = 0;
        for (var i = 0; i < all.Count;)
        {
            var j = i;
            while (j + 1 < all.Count && all[j + 1].v == all[i].v)
            {
                j++;
            }

            var rank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                rankSumA += all[k].First ? rank : 0;
            }

            i = j + 1;
        }

        double n1 = a.Count, n2 = b.Count;
        var u = rankSumA - (n1 * (n1 + 1) / 2);
        var z = (u - (n1 * n2 / 2)) / Math.Sqrt(n1 * n2 * (n1 + n2 + 1) / 12);
        return (z, Erfc(Math.Abs(z) / Math.Sqrt(2)));
    }

    // Abramowitz and Stegun 7.1.26 (error below 1.5e-7): enough for a p-value.
    private static double Erfc(double x)
    {
        var t = 1 / (1 + (0.3275911 * x));
        var poly = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
        return poly * Math.Exp(-x * x);
    }
}
