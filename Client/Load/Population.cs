using System.Collections.Concurrent;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.IdNumbers;

namespace NationalId.Client.Load;

/// <summary>Enrolls citizens and binds a phone for each through the operator and wallet APIs, as the real flows do.</summary>
public static class Population
{
    /// <summary>Registers a railway RP for the scope and makes <paramref name="citizens"/> citizens with a bound phone.</summary>
    public static async Task<(string ApiKey, Wallet.Wallet[] Phones)> EnrollAsync(
        HttpClient http, string operatorKey, int citizens, string scope, string regionCode, TextWriter log, CancellationToken cancellationToken)
    {
        var rp = await http.PostAsOperator(operatorKey, "/v1/operator/relying-parties",
            new RegisterRelyingPartyRequest("Load test railway", "rail", "11", [scope]), cancellationToken);
        rp.EnsureSuccessStatusCode();
        var apiKey = (await rp.Content.ReadFromJsonAsync<RegisterRelyingPartyResponse>(ApiClientJson.Options, cancellationToken))!.ApiKey;

        log.WriteLine($"enrolling {citizens} citizens and binding their phones");
        var run = Random.Shared.Next(1, 900);
        var planned = Enumerable.Range(0, citizens).Select(i => new PlannedCitizen(
            i,
            ResidentIdNumber.Create(regionCode, new DateOnly(1950 + (i % 50), 1 + (i % 12), 1 + (i % 28)), 1 + ((run + (i / 600)) % 998)),
            regionCode[..2]));
        var wallets = new ConcurrentBag<Wallet.Wallet>();
        var bound = await PopulationSeeder.SeedAsync(http, operatorKey, planned, 8, e => wallets.Add(new Wallet.Wallet(e.Wallet)), TextWriter.Null, cancellationToken: cancellationToken);
        if (bound < citizens)
        {
            throw new InvalidOperationException($"Only {bound} of {citizens} citizens could be enrolled with a phone.");
        }

        return (apiKey, wallets.ToArray());
    }
}
