using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Wallet;
using NationalId.IdNumbers;
using NationalId.Tests.Support;
using Xunit.Abstractions;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// Three silo processes of three regions (North, East, South) on one PostgreSQL. Placement by home region whichever
/// gateway is asked, and a kill -9 of the South silo under steady load: nothing acknowledged is lost, no revoked
/// credential is accepted after its revocation returned, every "verified" answer has exactly one history line, and
/// South's citizens are served from the other regions, and the South railway (its RP grain died with the silo) sees
/// no error at all through the surviving gateways: the cost of a silo's death to RPs is latency. The time to recover
/// is measured.
/// </summary>
[Collection(RealProcessCollection.Name)]
[Trait("Category", "Failure")]
public sealed class ClusterFailureTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Regions = ["North", "East", "South"];
    private static readonly Dictionary<string, string> AreaOf = new() { ["North"] = "110101", ["East"] = "310101", ["South"] = "440106" };

    private readonly List<SiloProcess> _silos = [];
    private readonly List<HttpClient> _gateways = [];
    private PostgresDatabase _database = null!;
    private string _operatorKey = string.Empty;
    private string[] _shared = [];

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _operatorKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var presentationKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _shared =
        [
            $"--ConnectionStrings:NationalId={_database.ConnectionString}",
            .. SiloArguments.Shared($"regions-{Guid.NewGuid():N}", _operatorKey, presentationKey),
            "--Orleans:Membership:ProbeTimeout=00:00:02",
            "--Orleans:Membership:NumMissedProbesLimit=3",
        ];

        // The first silo applies the schema; the other two then start side by side.
        _silos.Add(await StartSilo("North"));
        _silos.AddRange(await Task.WhenAll(StartSilo("East"), StartSilo("South")));
        _gateways.AddRange(_silos.Select(s => new HttpClient { BaseAddress = s.BaseAddress, Timeout = TimeSpan.FromSeconds(20) }));
        await WaitForRegions(_gateways[0], Regions.Length);
    }

    public async Task DisposeAsync()
    {
        _gateways.ForEach(g => g.Dispose());
        _silos.ForEach(s => s.Dispose());
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Killing_a_regions_silo_under_load_loses_nothing_acknowledged_and_its_citizens_are_served_elsewhere()
    {
        // A South RP: its grain lives on the silo that dies, so its policy has to be served while the grain moves.
        var rail = await RegisterRail(_gateways[0], "44");

        // Four citizens per region, each enrolled and activated through a gateway of another region than their own.
        var citizens = new List<(string Region, Wallet Wallet)>();
        for (var i = 0; i < 12; i++)
        {
            var region = Regions[i % 3];
            var gateway = _gateways[(i + 1) % 3];
            citizens.Add((region, await EnrollAndActivate(gateway, TestIdentities.Next(AreaOf[region]), 2000 + i)));
        }

        var placement = await Placement(_gateways[1]);
        foreach (var silo in placement.Silos)
        {
            Assert.All(silo.CitizensByHomeRegion!.Keys, home => Assert.Equal(silo.Region, home)); // every citizen on a silo of its region
        }

        Assert.Equal(4, placement.Silos.Single(s => s.Region == "South").CitizensByHomeRegion!.GetValueOrDefault("South"));

        // Steady load through the North and East gateways (the South silo is the one that dies).
        var wallets = citizens.Select(c => c.Wallet).ToList();
        var load = new LoadDriver(_gateways.Take(2).ToList(), rail, wallets, workers: 4);
        var warm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = 0;
        load.Answered = _ => { if (Interlocked.Increment(ref answered) == 150) { warm.TrySetResult(); } };
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(stop.Token);
        await warm.Task.WaitAsync(TimeSpan.FromMinutes(2));

        // Acknowledged just before the crash, all held by the South silo: a revocation, an enrollment and activation.
        var stolen = citizens.FindIndex(c => c.Region == "South");
        load.Paused[stolen] = true;
        Assert.Equal(HttpStatusCode.NoContent, (await wallets[stolen].RevokeAsync(_gateways[0], wallets[stolen].File.CredentialId!, "stolen")).StatusCode);
        load.Paused.TryRemove(stolen, out _);
        var revokedAt = load.Now;
        using var newcomer = await EnrollAndActivate(_gateways[0], TestIdentities.Next(AreaOf["South"]), 2999);

        var killedAt = load.Now;
        _silos[2].KillHard();

        // Recovered: every live South citizen verified again through the survivors, then 300 more answers of steady load.
        var recovered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var southBack = new HashSet<int>();
        var southPhones = Enumerable.Range(0, citizens.Count).Where(i => citizens[i].Region == "South" && i != stolen).ToHashSet();
        load.Answered = a =>
        {
            if (a.StartedAt > killedAt && a.Verified && southPhones.Contains(a.Phone))
            {
                lock (southBack)
                {
                    if (southBack.Add(a.Phone) && southBack.Count == southPhones.Count)
                    {
                        recovered.TrySetResult();
                    }
                }
            }
        };
        await recovered.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var backAt = load.Now;
        var steady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var afterRecovery = 0;
        load.Answered = _ => { if (Interlocked.Increment(ref afterRecovery) == 300) { steady.TrySetResult(); } };
        await steady.Task.WaitAsync(TimeSpan.FromMinutes(2));
        stop.Cancel();
        await running;

        var answers = load.Answers.ToList();
        var failed = answers.Where(a => a.Status != HttpStatusCode.OK).ToList();
        var lastFailure = failed.Count == 0 ? killedAt : failed.Max(a => a.EndedAt);
        output.WriteLine($"answers: {answers.Count}, verified: {answers.Count(a => a.Verified)}, failed: {failed.Count} " +
            $"({string.Join(", ", failed.GroupBy(a => $"{(int?)a.Status} {a.ErrorCode}").Select(g => $"{g.Key}: {g.Count()}"))}), " +
            $"all South citizens verified again {backAt - killedAt:F1} s after the kill, last failure {lastFailure - killedAt:F1} s after it, " +
            $"slowest answer {answers.Max(a => a.EndedAt - a.StartedAt):F1} s");
        output.WriteLine($"placement fallbacks counted: {await MetricSum(_gateways[0], "nid_placement_fallbacks_total") + await MetricSum(_gateways[1], "nid_placement_fallbacks_total")}, " +
            $"verification retries: {await MetricSum(_gateways[0], "nid_verification_retries_total") + await MetricSum(_gateways[1], "nid_verification_retries_total")}");

        // Not one error seen by the RP: the citizen calls and the RP's policy are retried through the cluster.
        Assert.Empty(failed);
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.OK && a.Phone != stolen), a => Assert.True(a.Verified, a.Reason));

        // No revoked credential accepted after its revocation returned.
        Assert.DoesNotContain(answers, a => a.Phone == stolen && a.Verified && a.StartedAt > revokedAt);

        // Every verified answer has its history line, once; no nonce was consumed twice.
        var verified = answers.Where(a => a.Verified).Select(a => a.VerificationId).ToList();
        Assert.Equal(verified.Count, verified.Distinct().Count());
        Assert.Equal(verified.Count, await _database.CountAsync(
            $"SELECT count(*) FROM access_history WHERE kind = 'verification' AND verified AND event_id IN ({string.Join(',', verified.Select(v => $"'{v}'"))})"));
        Assert.Equal(0, await _database.CountAsync("SELECT count(*) - count(DISTINCT event_id) FROM access_history WHERE kind = 'verification'"));
        Assert.Equal(0, await _database.CountAsync(
            "SELECT count(*) - count(DISTINCT presentation_nonce) FROM access_history WHERE presentation_nonce IS NOT NULL"));

        // The acknowledged enrollment and activation survived; the revocation too; South is served from elsewhere.
        Assert.True((await Verify(_gateways[1], rail, newcomer)).Verified);
        Assert.Equal("revoked", (await Verify(_gateways[0], rail, wallets[stolen])).Reason);
        var after = await Placement(_gateways[0]);
        Assert.Equal(2, after.Silos.Count);
        Assert.True(after.Silos.Sum(s => s.CitizensByHomeRegion!.GetValueOrDefault("South")) >= 1);
        Assert.True(await MetricSum(_gateways[0], "nid_placement_fallbacks_total") + await MetricSum(_gateways[1], "nid_placement_fallbacks_total") >= 1);

        // An RP suspended through one silo is refused by the other within a bounded time (the change stream; the
        // policy cache's 5 s TTL is the backstop). Both silos have the RP's policy cached before the suspension.
        var hotel = await RegisterRail(_gateways[0], "31");
        Assert.True((await Verify(_gateways[1], hotel, wallets[1])).Verified);
        Assert.True((await Verify(_gateways[0], hotel, wallets[0])).Verified);
        var rpId = hotel[..hotel.IndexOf('.', StringComparison.Ordinal)];
        var suspendedAt = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.NoContent, (await _gateways[0].PostAsOperator(_operatorKey, $"/v1/operator/relying-parties/{rpId}/suspend", new RelyingPartyStatusRequest("audit"))).StatusCode);
        using (var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20)))
        {
            while ((await _gateways[1].VerifyAsync(hotel, new VerificationRequest("rail.gate", wallets[4].Present(), null, null))).StatusCode != HttpStatusCode.Forbidden)
            {
                Assert.True(suspendedAt.Elapsed < TimeSpan.FromSeconds(30), "the suspension never reached the other silo");
                await tick.WaitForNextTickAsync();
            }
        }

        output.WriteLine($"an RP suspended through the North silo was refused by the East silo {suspendedAt.ElapsedMilliseconds} ms later");
        wallets.ForEach(w => w.Dispose());
    }

    private async Task<SiloProcess> StartSilo(string region) =>
        await SiloProcess.StartAsync(new Uri($"http://127.0.0.1:{FreePort.Next()}"), [.. _shared, .. SiloArguments.Ports(), $"--Orleans:Region={region}"]);

    private async Task<string> RegisterRail(HttpClient gateway, string province)
    {
        var register = await gateway.PostAsOperator(_operatorKey, "/v1/operator/relying-parties", new RegisterRelyingPartyRequest("National Railway", "rail", province, ["rail.gate"]));
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        return (await register.Content.ReadFromJsonAsync<RegisterRelyingPartyResponse>(ApiClientJson.Options))!.ApiKey;
    }

    private Task<Wallet> EnrollAndActivate(HttpClient gateway, ResidentIdNumber id, int person) =>
        SiloClients.EnrollAndActivateAsync(gateway, _operatorKey, id, person);

    private static async Task<VerificationResponse> Verify(HttpClient gateway, string apiKey, Wallet wallet)
    {
        var response = await gateway.VerifyAsync(apiKey, new VerificationRequest("rail.gate", wallet.Present(), null, null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options))!;
    }

    private async Task<PlacementView> Placement(HttpClient gateway)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/operator/diagnostics/placement");
        request.Headers.Add("X-Operator-Key", _operatorKey);
        using var response = await gateway.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<PlacementView>(ApiClientJson.Options))!;
    }

    /// <summary>Silos learn each other's region from membership; placement is only regional once they have.</summary>
    private async Task WaitForRegions(HttpClient gateway, int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while ((await Placement(gateway)).Silos.Count(s => s.Region is not null) < count)
        {
            await tick.WaitForNextTickAsync(deadline.Token);
        }
    }

    private static async Task<double> MetricSum(HttpClient gateway, string name)
    {
        var text = await gateway.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(l => l.StartsWith(name, StringComparison.Ordinal) && (l.Length == name.Length || l[name.Length] is '{' or ' '))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed record SiloPlacementView(string Silo, string? Region, Dictionary<string, int>? CitizensByHomeRegion);

    private sealed record PlacementView(List<SiloPlacementView> Silos);
}
