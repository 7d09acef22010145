using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using HdrHistogram;
using NationalId.Api;
using NationalId.Verification;

namespace NationalId.Client.Load;

/// <summary>
/// A closed-loop verification load through the HTTP gateway with real presentations: enrolls citizens and binds
/// their phones, makes every QR beforehand (so the client's own crypto is not on the measured path), then keeps
/// <see cref="LoadOptions.Concurrency"/> requests in flight until all are answered. The seed of the national-peak
/// load tester (issue 4).
/// </summary>
public static class VerificationLoad
{

    public static async Task<IReadOnlyList<LoadReport>> RunAsync(LoadOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var http = new HttpClient(handler) { BaseAddress = options.Gateway, Timeout = TimeSpan.FromSeconds(30) };

        if (options.EffectiveTargets.Contains("direct") && string.IsNullOrEmpty(options.ClusterConnectionString))
        {
            throw new InvalidOperationException("The direct target needs the cluster's PostgreSQL connection string (--cluster-db).");
        }

        var (apiKey, phones) = await Population.EnrollAsync(http, options.OperatorKey, options.Citizens, options.Scope, options.RegionCode, log, cancellationToken);
        var reports = new List<LoadReport>();
        await using var cluster = options.EffectiveTargets.Contains("direct")
            ? await Direct.ClusterConnection.ConnectAsync(
                options.ClusterConnectionString!,
                options.ClusterId,
                options.ServiceId,
                options.ClusterTls ?? Security.ClusterTlsSettings.FromEnvironment())
            : null;
        foreach (var target in options.EffectiveTargets)
        {
            var path = target == "central" ? "/baseline/v1/verifications" : "/v1/verifications";
            var direct = target == "direct" ? cluster!.Client.GetGrain<IVerifierGrain>(0) : null;

            if (target == "central")
            {
                using var import = new HttpRequestMessage(HttpMethod.Post, "/baseline/v1/import");
                import.Headers.Add("X-Operator-Key", options.OperatorKey);
                (await http.SendAsync(import, cancellationToken)).EnsureSuccessStatusCode();
            }

            if (options.Warmup > 0)
            {
                // Unmeasured: the JIT's tiered compilation settles only after thousands of requests.
                await MeasureAsync(http, apiKey, path, target + " warm-up", phones, options with { Requests = options.Warmup, ServicePids = [], Rate = 0 }, log, direct, cancellationToken);
            }

            reports.Add(await MeasureAsync(http, apiKey, path, target, phones, options, log, direct, cancellationToken));
        }

        foreach (var wallet in phones)
        {
            wallet.Dispose();
        }

        return reports;
    }

    private static Task<LoadReport> MeasureAsync(
        HttpClient http, string apiKey, string path, string target, Wallet.Wallet[] phones, LoadOptions options, TextWriter log, IVerifierGrain? direct, CancellationToken cancellationToken)
    {
        log.WriteLine($"[{target}] making {options.Requests} presentations with {phones.Length} phones");
        var planned = new PlannedRequest[options.Requests];
        Parallel.For(0, options.Requests, i => planned[i] = new PlannedRequest(apiKey, options.Scope, phones[i % phones.Length].Present(), false));
        return MeasureAsync(http, path, target, planned, options, log, direct, cancellationToken);
    }

    /// <summary>Sends the planned requests (closed or open loop per <paramref name="options"/>) and reports.</summary>
    internal static async Task<LoadReport> MeasureAsync(
        HttpClient http, string path, string target, PlannedRequest[] presentations, LoadOptions options, TextWriter log, IVerifierGrain? direct, CancellationToken cancellationToken)
    {

        log.WriteLine(options.OpenLoop
            ? $"[{target}] verifying at {options.Rate:F0} requests per second (open loop)"
            : $"[{target}] verifying with {options.Concurrency} requests in flight");
        var histogram = new LongConcurrentHistogram(1, TimeStamp.Seconds(60), 3);
        var cold = new LongConcurrentHistogram(1, TimeStamp.Seconds(60), 3);
        var warm = new LongConcurrentHistogram(1, TimeStamp.Seconds(60), 3);
        var reasons = new ConcurrentDictionary<string, int>();
        int verified = 0, rejected = 0, errors = 0, next = -1, operations = 0, operationErrors = 0;
        var timeline = new TimeSeries();
        var cpuBefore = ProcessCpu.Seconds(options.ServicePids ?? []);
        var clock = Stopwatch.StartNew();
        async Task Send(int i, long startedAt)
        {
            var failed = false;
            try
            {
                var planned = presentations[i];
                if (planned.Operation is { } operation)
                {
                    Interlocked.Increment(ref operations);
                    if (!await operation())
                    {
                        Interlocked.Increment(ref operationErrors);
                    }

                    return;
                }

                if (direct is not null)
                {
                    var outcome = await direct.Verify(planned.ApiKey, new VerifyInput(planned.Scope, planned.Presentation, null, null));
                    if (outcome.Result is { Verified: true })
                    {
                        Interlocked.Increment(ref verified);
                    }
                    else if (outcome.Result is { } rejection)
                    {
                        Interlocked.Increment(ref rejected);
                        reasons.AddOrUpdate(rejection.Reason ?? "unknown", 1, (_, n) => n + 1);
                    }
                    else
                    {
                        failed = true;
                        Interlocked.Increment(ref errors);
                    }

                    var directLatency = Math.Max(1, Stopwatch.GetTimestamp() - startedAt);
                    histogram.RecordValue(directLatency);
                    (planned.FirstTouch ? cold : warm).RecordValue(directLatency);
                    timeline.Record(directLatency, failed);
                    return;
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = GatewayHttp.Json(new VerificationRequest(planned.Scope, planned.Presentation, null, null)) };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", planned.ApiKey);
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var result = (await response.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options, cancellationToken))!;
                    if (result.Verified)
                    {
                        Interlocked.Increment(ref verified);
                    }
                    else
                    {
                        Interlocked.Increment(ref rejected);
                        reasons.AddOrUpdate(result.Reason ?? "unknown", 1, (_, n) => n + 1);
                    }
                }
                else
                {
                    failed = true;
                    Interlocked.Increment(ref errors);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failed = true;
                Interlocked.Increment(ref errors); // refused, reset or timed out: an error the RP saw
            }

            var latency = Math.Max(1, Stopwatch.GetTimestamp() - startedAt);
            histogram.RecordValue(latency);
            (presentations[i].FirstTouch ? cold : warm).RecordValue(latency);
            timeline.Record(latency, failed);
        }

        List<Task> workers;
        if (options.OpenLoop)
        {
            // Open loop: request i is due at start + i / rate; everything due is sent, answered or not.
            workers = new List<Task>(presentations.Length);
            var start = Stopwatch.GetTimestamp();
            var ticksPerRequest = Stopwatch.Frequency / options.Rate;
            for (var i = 0; i < presentations.Length && !cancellationToken.IsCancellationRequested; i++)
            {
                var due = start + (long)(i * ticksPerRequest);
                while (Stopwatch.GetTimestamp() < due)
                {
                    await Task.Delay(1, cancellationToken);
                }

                workers.Add(Send(i, due));
            }
        }
        else
        {
            workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < presentations.Length && !cancellationToken.IsCancellationRequested)
                {
                    await Send(i, Stopwatch.GetTimestamp());
                }
            }, cancellationToken)).ToList();
        }

        using var progressStop = new CancellationTokenSource();
        var progress = Task.Run(async () =>
        {
            using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
            try
            {
                while (await tick.WaitForNextTickAsync(progressStop.Token))
                {
                    if (timeline.LastComplete() is { } p)
                    {
                        log.WriteLine($"[{target}] {p.Second + 1,4} s  {p.Answered,6}/s  p50 {p.P50Ms,7:F2} ms  p99 {p.P99Ms,7:F2} ms  errors {p.Errors}");
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // the run is over
            }
        }, CancellationToken.None);
        await Task.WhenAll(workers);
        clock.Stop();
        await progressStop.CancelAsync();
        await progress;
        var serviceCpu = ProcessCpu.Seconds(options.ServicePids ?? []) - cpuBefore;

        double Ms(double percentile) => histogram.GetValueAtPercentile(percentile) * 1000.0 / Stopwatch.Frequency;
        var total = verified + rejected + errors;
        var crossProvince = presentations.Count(p => p.CrossProvince && p.Operation is null);
        return new LoadReport(
            target, total, verified, rejected, errors, clock.Elapsed.TotalSeconds, total / clock.Elapsed.TotalSeconds,
            Ms(50), Ms(90), Ms(99), histogram.GetMaxValue() * 1000.0 / Stopwatch.Frequency,
            new Dictionary<string, int>(reasons), serviceCpu, crossProvince, timeline.Points(),
            new LatencySplit(cold.TotalCount, Percentile(cold, 50), Percentile(cold, 99), warm.TotalCount, Percentile(warm, 50), Percentile(warm, 99)))
        {
            Operations = operations,
            OperationErrors = operationErrors,
        };
    }

    private static double Percentile(LongConcurrentHistogram h, double p) =>
        h.TotalCount == 0 ? 0 : h.GetValueAtPercentile(p) * 1000.0 / Stopwatch.Frequency;
}
