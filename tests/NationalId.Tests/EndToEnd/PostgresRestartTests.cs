using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;
using NationalId.Tests.Support;
using Xunit.Abstractions;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// PostgreSQL restarted under verification load, on a server of the test's own: while it is away the service answers
/// 503 with Retry-After (never 500, never a wrong answer), it recovers by itself, and nothing acknowledged is lost.
/// </summary>
[Collection(RealProcessCollection.Name)]
[Trait("Category", "Failure")]
public sealed class PostgresRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private OwnPostgres _postgres = null!;
    private SiloProcess _silo = null!;
    private HttpClient _gateway = null!;
    private string _operatorKey = string.Empty;

    public async Task InitializeAsync()
    {
        _postgres = await OwnPostgres.StartAsync();
        _operatorKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var presentationKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _silo = await SiloProcess.StartAsync(new Uri($"http://127.0.0.1:{FreePort.Next()}"),
        [
            $"--ConnectionStrings:NationalId={_postgres.ConnectionString}",
            .. SiloArguments.Make($"pg-restart-{Guid.NewGuid():N}", _operatorKey, presentationKey),
        ]);
        _gateway = new HttpClient { BaseAddress = _silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _gateway.Dispose();
        _silo.Dispose();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task While_postgres_restarts_the_service_answers_503_with_retry_after_and_then_recovers_losing_nothing()
    {
        var register = await _gateway.PostAsOperator(_operatorKey, "/v1/operator/relying-parties", new RegisterRelyingPartyRequest("Railway", "rail", "11", ["rail.gate"]));
        var rail = (await register.Content.ReadFromJsonAsync<RegisterRelyingPartyResponse>(ApiClientJson.Options))!.ApiKey;
        var wallets = new List<Wallet>();
        for (var i = 0; i < 8; i++)
        {
            wallets.Add(await EnrollAndActivate(3000 + i));
        }

        var load = new LoadDriver([_gateway], rail, wallets, workers: 4);
        var warm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outage = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refused = 0;
        var answered = 0;
        load.Answered = a =>
        {
            if (Interlocked.Increment(ref answered) == 100)
            {
                warm.TrySetResult();
            }

            if (a.Status == HttpStatusCode.ServiceUnavailable && Interlocked.Increment(ref refused) == 100)
            {
                outage.TrySetResult();
            }
        };
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        await warm.Task.WaitAsync(TimeSpan.FromMinutes(2));

        var downAt = load.Now;
        await _postgres.StopAsync();
        await outage.Task.WaitAsync(TimeSpan.FromMinutes(1));

        // Writes during the outage are refused the same way and acknowledged never.
        var enrollDuringOutage = await _gateway.PostAsOperator(_operatorKey, "/v1/operator/citizens",
            new EnrollCitizenRequest(TestIdentities.Next().Value, "Nobody", FaceVectors.Live(FaceVectors.Person(3999)), null));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, enrollDuringOutage.StatusCode);
        Assert.NotNull(enrollDuringOutage.Headers.RetryAfter);
        using (var ready = await _gateway.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await _postgres.StartAgainAsync();
        var upAt = load.Now;
        var back = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var verifiedAfter = 0;
        load.Answered = a =>
        {
            if (a.StartedAt > upAt && a.Verified && Interlocked.Increment(ref verifiedAfter) == 200)
            {
                back.TrySetResult();
            }
        };
        await back.Task.WaitAsync(TimeSpan.FromMinutes(2));
        stop.Cancel();
        await running;

        var answers = load.Answers.ToList();
        var failed = answers.Where(a => a.Status != HttpStatusCode.OK).ToList();
        var firstOkAfter = answers.Where(a => a.StartedAt > upAt && a.Verified).Min(a => a.EndedAt);
        output.WriteLine($"answers: {answers.Count}, verified: {answers.Count(a => a.Verified)}, refused: {failed.Count} " +
            $"({string.Join(", ", failed.GroupBy(a => $"{(int?)a.Status} {a.ErrorCode}").Select(g => $"{g.Key}: {g.Count()}"))}); " +
            $"database away {upAt - downAt:F1} s, first verification {firstOkAfter - upAt:F1} s after it was back");

        Assert.All(failed, a => Assert.True(a.Status == HttpStatusCode.ServiceUnavailable && a.HasRetryAfter && a.ErrorCode == "service_unavailable", $"{a.Status} {a.ErrorCode}"));
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.OK), a => Assert.True(a.Verified, a.Reason));

        // Every verified answer has its history line; an enrollment after recovery is acknowledged and works.
        var verified = answers.Where(a => a.Verified).Select(a => a.VerificationId).ToList();
        Assert.Equal(verified.Count, await _postgres.CountAsync(
            $"SELECT count(*) FROM access_history WHERE kind = 'verification' AND verified AND event_id IN ({string.Join(',', verified.Select(v => $"'{v}'"))})"));
        using var late = await EnrollAndActivate(3100);
        using var response = await _gateway.VerifyAsync(rail, new VerificationRequest("rail.gate", late.Present(), null, null));
        Assert.True((await response.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options))!.Verified);
        using (var ready = await _gateway.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        wallets.ForEach(w => w.Dispose());
    }

    private Task<Wallet> EnrollAndActivate(int person) => SiloClients.EnrollAndActivateAsync(_gateway, _operatorKey, TestIdentities.Next(), person);
}
