using System.CommandLine;
using System.Text.Json;
using NationalId.Client.Load;

namespace NationalId.Client.Commands;

/// <summary>
/// Load and benchmarks: <c>nid load</c>, <c>seed</c>, <c>scenario</c>, <c>grain-bench</c>, <c>oracle-bench</c> and
/// <c>crypto-bench</c>, for whoever sizes and tests the service.
/// </summary>
public static class BenchCommands
{
    /// <summary>The load and benchmark commands, in the order of the root's help.</summary>
    public static Command[] Create(CliOptions cli)
    {
        // ---- load: closed-loop verifications through the gateway (the national-peak load tester grows from here)
        var citizens = new Option<int>("--citizens") { DefaultValueFactory = _ => 200 };
        var requests = new Option<int>("--requests") { DefaultValueFactory = _ => 20_000 };
        var concurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 32 };
        var jsonOut = new Option<string?>("--json") { Description = "Also write the report as JSON here" };
        var rate = new Option<double>("--rate") { Description = "Open loop at this many requests per second (default: closed loop)", DefaultValueFactory = _ => 0 };
        var clusterConnection = new Option<string?>("--cluster-db") { Description = "PostgreSQL connection string of the cluster (for --target direct)" };
        var clusterId = new Option<string>("--cluster-id") { DefaultValueFactory = _ => "national-id-local" };
        var reportDir = new Option<string?>("--report-dir") { Description = "Write report.md, report.json and PNG charts here" };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured verifications before each measured phase", DefaultValueFactory = _ => 0 };
        var targets = new Option<string[]>("--target") { Description = "grains (HTTP, default), direct (Orleans client, needs --cluster-db) and/or central (the central-table baseline)", AllowMultipleArgumentsPerToken = true };
        var servicePids = new Option<int[]>("--service-pid") { Description = "Processes (with their children) whose CPU counts as the service's (Linux)", AllowMultipleArgumentsPerToken = true };
        var load = new Command("load", "Enroll citizens, make QR codes, then verify them through the gateway and report throughput and latency")
        {
            cli.OperatorKey, citizens, requests, concurrency, jsonOut, servicePids, targets, warmup, rate, reportDir, clusterConnection, clusterId,
        };
        load.SetAction(async r =>
        {
            var reports = await VerificationLoad.RunAsync(
                new LoadOptions(cli.GatewayUri(r), r.GetValue(cli.OperatorKey)!, r.GetValue(citizens), r.GetValue(requests), r.GetValue(concurrency))
                {
                    ServicePids = r.GetValue(servicePids) ?? [],
                    Targets = r.GetValue(targets) ?? [],
                    Warmup = r.GetValue(warmup),
                    Rate = r.GetValue(rate),
                    ClusterConnectionString = r.GetValue(clusterConnection),
                    ClusterId = r.GetValue(clusterId)!,
                },
                Console.Error);
            foreach (var report in reports)
            {
                Console.WriteLine(report.ToMarkdown());
            }

            if (r.GetValue(jsonOut) is { } file)
            {
                File.WriteAllText(file, JsonSerializer.Serialize(reports, ApiClientJson.Options));
            }

            if (r.GetValue(reportDir) is { } dir)
            {
                ReportFiles.Write(dir, "nid load", reports);
            }

            return reports.All(x => x.Errors == 0) ? 0 : 1;
        });

        var walletsFile = new Option<string?>("--wallets") { Description = "A population seeded by 'nid seed' (instead of enrolling one now)" };
        var seedCitizens = new Option<int>("--citizens") { Description = "How many citizens to seed", DefaultValueFactory = _ => 100_000 };
        var seedOut = new Option<string>("--out") { Description = "Wallet file to write", Required = true };
        var seedValue = new Option<int>("--seed") { Description = "Population seed (another seed makes other people)", DefaultValueFactory = _ => 2026 };
        var seedConcurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 32 };
        var seedImport = new Option<bool>("--import") { Description = "Enroll through the bulk import (nid operator import --synthetic), then bind the phones" };
        var seedImported = new Option<bool>("--imported") { Description = "The citizens are enrolled already (imported before, e.g. a larger population): bind phones only" };
        var seedCommand = new Command("seed", "Enroll a population (census-weighted provinces) and bind a phone for each; keep the phones in a file for scenario runs")
        {
            cli.OperatorKey, seedCitizens, seedOut, seedValue, seedConcurrency, seedImport, seedImported,
        };
        seedCommand.SetAction(async r =>
        {
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = r.GetValue(seedConcurrency) };
            using var http = new HttpClient(handler) { BaseAddress = cli.GatewayUri(r), Timeout = TimeSpan.FromSeconds(60) };
            using var store = new WalletStore.Writer(r.GetValue(seedOut)!);
            var plan = new PopulationPlan(r.GetValue(seedValue));
            if (r.GetValue(seedImport))
            {
                var imported = await Import.RegisterImport.RunAsync(http, r.GetValue(cli.OperatorKey)!, Import.RegisterSource.Synthetic(plan, r.GetValue(seedCitizens)),
                    new Import.ImportOptions(TotalLines: r.GetValue(seedCitizens)), Console.Error);
                Console.Error.WriteLine($"imported {imported.Imported} ({imported.AlreadyEnrolled} enrolled before) at {imported.PerSecond:F0}/s; binding phones");
            }

            var seeded = await PopulationSeeder.SeedAsync(
                http, r.GetValue(cli.OperatorKey)!, plan.Citizens(r.GetValue(seedCitizens)), r.GetValue(seedConcurrency), store.Add, Console.Error,
                enrolled: r.GetValue(seedImport) || r.GetValue(seedImported));
            Console.WriteLine($"{seeded} citizens seeded into {r.GetValue(seedOut)}");
            return seeded > 0 ? 0 : 1;
        });

        var scenarioFile = new Argument<string>("file") { Description = "A scenario file, e.g. Client/Scenarios/spring-festival.json" };
        var scenarioCommand = new Command("scenario", "Run a load scenario (population by province, scope mix, cross-province share, hot and cold citizens)")
        {
            scenarioFile, cli.OperatorKey, jsonOut, servicePids, warmup, reportDir, walletsFile,
        };
        scenarioCommand.SetAction(async r =>
        {
            var scenario = Scenario.Load(r.GetValue(scenarioFile)!);
            var report = await ScenarioRun.RunAsync(
                cli.GatewayUri(r), r.GetValue(cli.OperatorKey)!, scenario, r.GetValue(servicePids) ?? [], r.GetValue(warmup), Console.Error, walletStore: r.GetValue(walletsFile),
                management: cli.ManagementUri(r));
            Console.WriteLine(report.ToMarkdown());
            Console.WriteLine($"cross-province verifications: {report.CrossProvince} of {report.Requests}; rejections: {string.Join(", ", report.RejectionsByReason.Select(kv => $"{kv.Key} {kv.Value}"))}");
            if (r.GetValue(jsonOut) is { } file)
            {
                File.WriteAllText(file, JsonSerializer.Serialize(report, ApiClientJson.Options));
            }

            if (r.GetValue(reportDir) is { } dir)
            {
                ReportFiles.Write(dir, $"scenario {scenario.Name}", [report]);
            }

            return report.Errors == 0 ? 0 : 1;
        });

        var grainBench = new Command("grain-bench", "Memory per active citizen grain and cold vs. warm verification latency") { cli.OperatorKey, citizens, concurrency };
        grainBench.SetAction(async r =>
        {
            var result = await GrainBench.RunAsync(cli.GatewayUri(r), r.GetValue(cli.OperatorKey)!, r.GetValue(citizens), r.GetValue(concurrency), Console.Error,
                cli.ManagementUri(r));
            Console.WriteLine(result.ToMarkdown());
        });

        var oracleSamples = new Option<int>("--samples") { DefaultValueFactory = _ => 1000 };
        var oracleBench = new Command("oracle-bench", "Remote binding with a wrong face: latency for enrolled vs. unknown ID numbers (an enrollment oracle?)") { cli.OperatorKey, oracleSamples };
        oracleBench.SetAction(async r => Console.WriteLine((await OracleBench.RunAsync(
            cli.GatewayUri(r), r.GetValue(cli.OperatorKey)!, r.GetValue(oracleSamples), Console.Error)).ToMarkdown()));

        var cryptoBench = new Command("crypto-bench", "Presentations per core-second doing only decryption and signature check (our code)");
        cryptoBench.SetAction(_ => Console.WriteLine(CryptoBench.ToMarkdown(CryptoBench.Run(TimeSpan.FromSeconds(3)))));

        return [load, seedCommand, scenarioCommand, grainBench, oracleBench, cryptoBench];
    }
}
