using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using HdrHistogram;
using NationalId.Api;

namespace NationalId.Client.Load;

/// <summary>
/// Memory per active citizen grain and the cost of a cold activation: deactivates every idle grain, verifies each
/// citizen once (cold: state and replay window read from PostgreSQL), measures the silo's managed memory per new
/// activation, then verifies each again (warm).
/// </summary>
public static class GrainBench
{
    public sealed record Result(int Citizens, double BytesPerCitizenGrain, double ColdP50, double ColdP99, double WarmP50, double WarmP99)
    {
        public string ToMarkdown() => string.Create(CultureInfo.InvariantCulture,
            $"| citizens | bytes per active citizen grain | cold p50 ms | cold p99 ms | warm p50 ms | warm p99 ms |\n|---:|---:|---:|---:|---:|---:|\n| {Citizens} | {BytesPerCitizenGrain:F0} | {ColdP50:F2} | {ColdP99:F2} | {WarmP50:F2} | {WarmP99:F2} |\n");
    }

    private sealed record Memory(long ManagedBytes, int Activations, int CitizenActivations);

    public static async Task<Result> RunAsync(Uri gateway, string operatorKey, int citizens, int concurrency, TextWriter log, Uri? management = null)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
        using var operations = new HttpClient { BaseAddress = management ?? gateway, Timeout = TimeSpan.FromSeconds(60) };
        var (apiKey, phones) = await Population.EnrollAsync(http, operatorKey, citizens, "rail.gate", "320102", log, CancellationToken.None);

        (await operations.PostAsOperator(operatorKey, "/v1/operator/diagnostics/deactivate-idle", new { })).EnsureSuccessStatusCode();
        var before = await MemoryAsync(operations, operatorKey);
        log.WriteLine($"{before.CitizenActivations} citizen grains active before; verifying {phones.Length} cold");
        var cold = await VerifyAllAsync(http, apiKey, phones, concurrency);
        var after = await MemoryAsync(operations, operatorKey);
        var warm = await VerifyAllAsync(http, apiKey, phones, concurrency);
        var activated = Math.Max(1, after.CitizenActivations - before.CitizenActivations);
        log.WriteLine($"{activated} citizen grains activated, managed memory {before.ManagedBytes} -> {after.ManagedBytes} bytes");

        foreach (var phone in phones)
        {
            phone.Dispose();
        }

        return new Result(activated, (after.ManagedBytes - before.ManagedBytes) / (double)activated,
            Ms(cold, 50), Ms(cold, 99), Ms(warm, 50), Ms(warm, 99));
    }

    private static async Task<Memory> MemoryAsync(HttpClient http, string operatorKey)
    {
        var response = await http.PostAsOperator(operatorKey, "/v1/operator/diagnostics/memory", new { });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Memory>(ApiClientJson.Options))!;
    }

    private static async Task<LongHistogram> VerifyAllAsync(HttpClient http, string apiKey, Wallet.Wallet[] phones, int concurrency)
    {
        var presentations = phones.Select(p => p.Present()).ToArray();
        var histogram = new LongHistogram(TimeStamp.Seconds(60), 3);
        var next = -1;
        var gate = new Lock();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < presentations.Length)
            {
                var started = Stopwatch.GetTimestamp();
                var response = await http.VerifyAsync(apiKey, new VerificationRequest("rail.gate", presentations[i], null, null));
                response.EnsureSuccessStatusCode();
                var result = (await response.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options))!;
                var elapsed = Stopwatch.GetTimestamp() - started;
                if (!result.Verified)
                {
                    throw new InvalidOperationException($"Verification rejected: {result.Reason}");
                }

                lock (gate)
                {
                    histogram.RecordValue(elapsed);
                }
            }
        })));
        return histogram;
    }

    private static double Ms(LongHistogram h, double percentile) => h.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
}
