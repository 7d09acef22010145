using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Wallet;

namespace NationalId.Tests.Support;

/// <summary>
/// Steady verification load for failure tests: each worker owns some phones (a key is never used by two threads) and
/// sends their QRs round-robin to the given gateways, recording every answer with its times on one clock.
/// </summary>
public sealed class LoadDriver(IReadOnlyList<HttpClient> gateways, string apiKey, IReadOnlyList<Wallet> wallets, int workers)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public sealed record Answer(int Phone, double StartedAt, double EndedAt, HttpStatusCode? Status, bool Verified, Guid VerificationId, string? Reason, bool HasRetryAfter, string? ErrorCode);

    public ConcurrentQueue<Answer> Answers { get; } = new();

    /// <summary>Seconds since the driver was made: the clock of <see cref="Answer"/> times.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>Called on the worker's thread after every answer.</summary>
    public Action<Answer>? Answered { get; set; }

    /// <summary>Phones a worker must leave alone from now on (e.g. the test uses them itself).</summary>
    public ConcurrentDictionary<int, bool> Paused { get; } = new();

    public Task RunAsync(CancellationToken stop) => Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => Worker(w, stop))));

    private async Task Worker(int w, CancellationToken stop)
    {
        var mine = Enumerable.Range(0, wallets.Count).Where(i => i % workers == w).ToArray();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var phone = mine[n % mine.Length];
            if (Paused.ContainsKey(phone))
            {
                continue;
            }

            var gateway = gateways[(w + n) % gateways.Count];
            var started = Now;
            Answer answer;
            try
            {
                using var response = await gateway.VerifyAsync(apiKey, new VerificationRequest("rail.gate", wallets[phone].Present(), null, null));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var result = (await response.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options, CancellationToken.None))!;
                    answer = new Answer(phone, started, Now, response.StatusCode, result.Verified, result.VerificationId, result.Reason, false, null);
                }
                else
                {
                    var problem = await response.Content.ReadFromJsonAsync<Dictionary<string, object>>(CancellationToken.None);
                    answer = new Answer(phone, started, Now, response.StatusCode, false, Guid.Empty, null, response.Headers.RetryAfter is not null,
                        problem?.GetValueOrDefault("code")?.ToString());
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stop.IsCancellationRequested)
            {
                answer = new Answer(phone, started, Now, null, false, Guid.Empty, null, false, ex.GetType().Name);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }

            Answers.Enqueue(answer);
            Answered?.Invoke(answer);
        }
    }
}
