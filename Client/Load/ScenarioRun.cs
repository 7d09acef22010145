using System.Collections.Concurrent;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;

namespace NationalId.Client.Load;

/// <summary>
/// Runs a <see cref="Scenario"/> through the gateway: enrolls a <see cref="PopulationPlan"/> (home provinces by
/// population, some living elsewhere), registers an RP per scope and province on demand, then sends verifications
/// whose scope follows the mix, whose citizen is hot or cold as the scenario says, and whose RP sits in another
/// province for the scenario's cross-province share.
/// </summary>
public static class ScenarioRun
{
    public static async Task<LoadReport> RunAsync(
        Uri gateway, string operatorKey, Scenario scenario, IReadOnlyList<int> servicePids, int warmup, TextWriter log, int seed = 2026, string? walletStore = null,
        Uri? management = null)
    {
        // The diagnostics live on the silo's management listener when it has one (Gateway:ManagementUrls).
        using var operations = new HttpClient { BaseAddress = management ?? gateway, Timeout = TimeSpan.FromSeconds(60) };
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = scenario.Rate > 0 ? 512 : scenario.Concurrency };
        using var http = new HttpClient(handler) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };

        // The population: seeded before (`nid seed`, read from its file) or enrolled now. Phones are kept as files;
        // a key object is made only for the phones this run shows a QR with.
        WalletStore.Entry?[] population;
        if (walletStore is not null)
        {
            var entries = WalletStore.Read(walletStore).ToList();
            population = new WalletStore.Entry?[entries.Count == 0 ? 0 : entries.Max(e => e.Index) + 1];
            entries.ForEach(e => population[e.Index] = e);
            log.WriteLine($"[{scenario.Name}] {entries.Count} seeded citizens from {walletStore}");
        }
        else
        {
            population = new WalletStore.Entry?[scenario.Citizens];
            log.WriteLine($"[{scenario.Name}] enrolling {scenario.Citizens} citizens across the provinces");
            var plan = new PopulationPlan(seed + Random.Shared.Next(1, 1_000_000));
            await PopulationSeeder.SeedAsync(http, operatorKey, plan.Citizens(scenario.Citizens), 8, e => population[e.Index] = e, log);
        }

        scenario = scenario with { Citizens = population.Length };
        var phones = new Dictionary<int, Wallet.Wallet>();
        var homes = population.Select(e => e?.HomeProvince ?? string.Empty).ToArray();

        var keys = new ConcurrentDictionary<(string Scope, string Province), string>();
        async Task<string> RelyingParty(string scope, string province)
        {
            if (keys.TryGetValue((scope, province), out var key))
            {
                return key;
            }

            var response = await http.PostAsOperator(operatorKey, "/v1/operator/relying-parties",
                new RegisterRelyingPartyRequest($"{scope} terminal {province}", scope.StartsWith("rail", StringComparison.Ordinal) ? "rail" : "other", province, [scope]));
            response.EnsureSuccessStatusCode();
            key = (await response.Content.ReadFromJsonAsync<RegisterRelyingPartyResponse>(ApiClientJson.Options))!.ApiKey;
            return keys.GetOrAdd((scope, province), key);
        }

        var ready = Enumerable.Range(0, population.Length).Where(i => population[i] is not null).ToArray();
        if (ready.Length == 0)
        {
            throw new InvalidOperationException("No citizen could be enrolled with a phone: check the gateway and the operator key.");
        }

        log.WriteLine($"[{scenario.Name}] {ready.Length} of {scenario.Citizens} citizens have a phone");
        var random = new Random(seed);
        var provinces = NationalId.IdNumbers.Province.All.Select(p => p.Code).ToArray();
        var total = warmup + scenario.Requests;
        var planned = new PlannedRequest[total];
        var citizenOf = new int[total];
        var touched = new HashSet<int>();
        var placeOf = new Dictionary<int, string>();
        log.WriteLine($"[{scenario.Name}] making {total} presentations");
        for (var i = 0; i < total; i++)
        {
            var who = scenario.PickCitizen(random);
            if (population[who] is null)
            {
                who = ready[random.Next(ready.Length)]; // a citizen whose enrollment failed is replaced, never waited for
            }

            var scope = scenario.PickScope(random.NextDouble());

            // Where the citizen is during the run, decided at their first request: at home, or (with probability
            // crossProvinceShare) away in one other province, as a traveller is. Drawn per request instead, a
            // frequent traveller would be seen in ten provinces a minute and every verification would be a travel
            // anomaly (measured: 40 % of them), which is a test of the travel rule, not a peak.
            if (!placeOf.TryGetValue(who, out var province))
            {
                placeOf[who] = province = random.NextDouble() < scenario.CrossProvinceShare
                    ? provinces.Where(p => p != homes[who]).ElementAt(random.Next(provinces.Length - 1))
                    : homes[who];
            }

            var cross = province != homes[who];
            planned[i] = new PlannedRequest(await RelyingParty(scope, province), scope, string.Empty, cross, FirstTouch: i >= warmup && touched.Add(who));
            citizenOf[i] = who;
        }

        // QR codes are made last and in parallel: the phone's crypto is not the service's, and must not be timed.
        foreach (var who in citizenOf.Distinct())
        {
            phones[who] = new Wallet.Wallet(population[who]!.Wallet);
        }

        Parallel.For(0, total, i => planned[i] = planned[i] with { Presentation = phones[citizenOf[i]].Present() });
        var rebinders = await EnrollRebindersAsync(scenario, http, operatorKey, seed, log);
        AddOtherTraffic(scenario, planned, warmup, random, population, ready, phones, rebinders, http, operatorKey, seed);
        var options = new LoadOptions(gateway, operatorKey, scenario.Citizens, scenario.Requests, scenario.Concurrency, ServicePids: servicePids, Rate: scenario.Rate);
        if (warmup > 0)
        {
            // Warm-up settles the JIT on the request path; it uses hot citizens only, and every grain is deactivated
            // below anyway, so the measured phase starts with all citizens cold.
            var hot = Math.Max(1, (int)(scenario.Citizens * scenario.HotCitizenShare));
            var warm = planned[..warmup].Select((p, i) => (p, i)).Where(x => citizenOf[x.i] < hot).Select(x => x.p).ToArray();
            await VerificationLoad.MeasureAsync(http, "/v1/verifications", scenario.Name + " warm-up", warm, options with { ServicePids = [], Rate = 0 }, log, null, CancellationToken.None);
        }

        // Most citizens were last touched at enrollment: deactivate idle grains so their first verification is cold,
        // as it is at a national peak for people who verify a few times a year.
        using (var deactivate = new HttpRequestMessage(HttpMethod.Post, "/v1/operator/diagnostics/deactivate-idle"))
        {
            deactivate.Headers.Add("X-Operator-Key", operatorKey);
            deactivate.Content = GatewayHttp.Json(new { });
            (await operations.SendAsync(deactivate)).EnsureSuccessStatusCode();
        }

        var report = await VerificationLoad.MeasureAsync(http, "/v1/verifications", scenario.Name, planned[warmup..], options, log, null, CancellationToken.None);
        foreach (var phone in phones.Values)
        {
            phone.Dispose();
        }

        return report;
    }

    private static int Count(int measured, double perThousand) => (int)Math.Round(measured * perThousand / 1000);

    /// <summary>
    /// The citizens who will replace a lost phone during the run, enrolled with their first phone before it (apart from
    /// the verified population, so their old phone's QRs never muddle the verification figures).
    /// </summary>
    private static async Task<(PlannedCitizen Citizen, WalletFile OldPhone)[]> EnrollRebindersAsync(
        Scenario scenario, HttpClient http, string operatorKey, int seed, TextWriter log)
    {
        var count = Count(scenario.Requests, scenario.RebindingsPerThousand);
        if (count == 0)
        {
            return [];
        }

        log.WriteLine($"[{scenario.Name}] enrolling {count} citizens who will replace a lost phone");
        var plan = new PopulationPlan(seed + 5_555 + Random.Shared.Next(1, 1_000_000));
        var rebinders = new System.Collections.Concurrent.ConcurrentBag<(PlannedCitizen, WalletFile)>();
        await Parallel.ForEachAsync(plan.Citizens(count).Select(c => c with { Index = c.Index + RebinderFaces }), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (citizen, ct) =>
        {
            if (await PopulationSeeder.EnrollOneAsync(http, operatorKey, citizen, cancellationToken: ct) is { } phone)
            {
                rebinders.Add((citizen, phone));
            }
        });
        return [.. rebinders];
    }

    /// <summary>Offset of the re-binders' face seeds, so that none shares a face with a member of the population.</summary>
    private const int RebinderFaces = 50_000_000;

    /// <summary>
    /// Replaces a few measured verifications, at the scenario's rates, by the other traffic of a peak: phones reported
    /// lost (suspended by a signed request, so later QRs of that citizen are answered "suspended"), new citizens
    /// enrolling and binding a phone, and re-bindings (a citizen binds a new phone with a live face, then revokes the
    /// lost one from it).
    /// </summary>
    private static void AddOtherTraffic(
        Scenario scenario, PlannedRequest[] planned, int warmup, Random random, WalletStore.Entry?[] population, int[] ready,
        Dictionary<int, Wallet.Wallet> phones, (PlannedCitizen Citizen, WalletFile OldPhone)[] rebinders, HttpClient http, string operatorKey, int seed)
    {
        var measured = planned.Length - warmup;
        var lost = Count(measured, scenario.LostPhonesPerThousand);
        var activations = Count(measured, scenario.NewActivationsPerThousand);
        var slots = Enumerable.Range(warmup, measured).OrderBy(_ => random.Next()).Take(lost + activations + rebinders.Length).ToArray();
        var victims = ready.OrderBy(_ => random.Next()).Take(lost).ToArray();
        var newcomers = new PopulationPlan(seed + 7_777);
        for (var k = 0; k < slots.Length; k++)
        {
            if (k < victims.Length)
            {
                var victim = victims[k];
                if (!phones.TryGetValue(victim, out var phone))
                {
                    phones[victim] = phone = new Wallet.Wallet(population[victim]!.Wallet);
                }

                planned[slots[k]] = planned[slots[k]] with
                {
                    Operation = async () => (await phone.ChangeCredentialAsync(http, "suspend", phone.File.CredentialId!, "lost in the crowd")).IsSuccessStatusCode,
                };
            }
            else if (k < victims.Length + activations)
            {
                var newcomer = newcomers.Citizen(population.Length + k);
                planned[slots[k]] = planned[slots[k]] with
                {
                    Operation = async () => await PopulationSeeder.EnrollOneAsync(http, operatorKey, newcomer) is not null,
                };
            }
            else
            {
                var (citizen, oldPhone) = rebinders[k - victims.Length - activations];
                planned[slots[k]] = planned[slots[k]] with { Operation = () => RebindAsync(http, citizen, oldPhone) };
            }
        }
    }

    private static async Task<bool> RebindAsync(HttpClient http, PlannedCitizen citizen, WalletFile oldPhone)
    {
        using var phone = Wallet.Wallet.Create();
        var face = FaceVectors.Live(FaceVectors.Capture(FaceVectors.Person(citizen.Index + 7), 2));
        using var activated = await phone.ActivateAsync(http, citizen.IdNumber.Value, face, null, "replacement");
        if (!activated.IsSuccessStatusCode)
        {
            return false;
        }

        using var revoked = await phone.RevokeAsync(http, oldPhone.CredentialId!, "replaced a lost phone");
        return revoked.IsSuccessStatusCode;
    }
}
