using NationalId.Client.Load;
using NationalId.Tests.Support;

namespace NationalId.Tests.Client;

/// <summary>
/// The load tester's short smoke runs against the real gateway as the benchmark host serves it (with the probes a
/// scenario calls): figures are printed, never asserted.
/// </summary>
public class LoadSmokeTests(BenchGatewayFixture gateway) : IClassFixture<BenchGatewayFixture>
{
    [Fact]
    public async Task A_closed_loop_run_verifies_every_presentation_and_reports_percentiles()
    {
        var reports = await VerificationLoad.RunAsync(
            new LoadOptions(gateway.BaseAddress, gateway.OperatorKey, Citizens: 10, Requests: 200, Concurrency: 4),
            TextWriter.Null);

        var report = Assert.Single(reports);
        Assert.Equal(200, report.Verified);
        Assert.Equal(0, report.Errors + report.Rejected);
        Assert.True(report.P50 <= report.P90 && report.P90 <= report.P99 && report.P99 <= report.Max);
        Assert.Contains("| grains | 200 | 200 |", report.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_open_loop_run_answers_every_request_and_keeps_a_timeline()
    {
        var reports = await VerificationLoad.RunAsync(
            new LoadOptions(gateway.BaseAddress, gateway.OperatorKey, Citizens: 5, Requests: 100, Concurrency: 4, Rate: 200),
            TextWriter.Null);

        var report = Assert.Single(reports);
        Assert.Equal(100, report.Verified);
        Assert.NotEmpty(report.Timeline!);
        Assert.Equal(100, report.Timeline!.Sum(p => p.Answered));
    }

    [Fact]
    public async Task The_smoke_scenario_runs_across_provinces_through_the_gateway()
    {
        var scenario = Scenario.Load(Path.Combine(AppContext.BaseDirectory, "Scenarios", "smoke.json"));
        var report = await ScenarioRun.RunAsync(gateway.BaseAddress, gateway.OperatorKey, scenario, [], warmup: 0, TextWriter.Null);

        // 5 % lost-phone reports, 5 % new activations and 5 % re-bindings replace verifications; a lost phone's later
        // QRs are refused; every re-binding bound its new phone and revoked the old one (an operation fails otherwise).
        Assert.Equal(18, report.Operations);
        Assert.Equal(0, report.OperationErrors + report.Errors);
        Assert.Equal(scenario.Requests - 18, report.Verified + report.Rejected);
        Assert.All(report.RejectionsByReason.Keys, reason => Assert.Equal("suspended", reason));
        Assert.InRange(report.CrossProvince, 1, scenario.Requests - 1);
    }

    [Fact]
    public async Task The_direct_mode_verifies_through_an_orleans_client_without_http()
    {
        var reports = await VerificationLoad.RunAsync(
            new LoadOptions(gateway.BaseAddress, gateway.OperatorKey, Citizens: 5, Requests: 60, Concurrency: 4,
                Targets: ["direct"], ClusterConnectionString: gateway.Database.ConnectionString, ClusterId: gateway.ClusterId,
                ClusterTls: TestClusterCertificates.Member),
            TextWriter.Null);

        var report = Assert.Single(reports);
        Assert.Equal("direct", report.Target);
        Assert.Equal(60, report.Verified);
        Assert.Equal(0, report.Errors + report.Rejected);
    }

    [Fact]
    public async Task A_seeded_population_is_reused_from_its_wallet_file()
    {
        var file = Path.Combine(Path.GetTempPath(), $"nid-wallets-{Guid.NewGuid():N}.tsv");
        try
        {
            using var http = gateway.CreateClient();
            using (var store = new WalletStore.Writer(file))
            {
                var seeded = await PopulationSeeder.SeedAsync(http, gateway.OperatorKey, new PopulationPlan(seed: Random.Shared.Next()).Citizens(15), 4, store.Add, TextWriter.Null);
                Assert.Equal(15, seeded);
            }

            Assert.Equal(15, WalletStore.Read(file).Count());
            var scenario = Scenario.Load(Path.Combine(AppContext.BaseDirectory, "Scenarios", "smoke.json"));
            var report = await ScenarioRun.RunAsync(gateway.BaseAddress, gateway.OperatorKey, scenario with { LostPhonesPerThousand = 0, NewActivationsPerThousand = 0, RebindingsPerThousand = 0 }, [], warmup: 0, TextWriter.Null, walletStore: file);
            Assert.Equal(scenario.Requests, report.Verified);
            Assert.Equal(0, report.Errors + report.Rejected);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
