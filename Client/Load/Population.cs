using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client.Faces;
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
        var wallets = new ConcurrentBag<Wallet.Wallet>();
        var run = Random.Shared.Next(1, 900);
        await Parallel.ForEachAsync(Enumerable.Range(0, citizens), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var id = ResidentIdNumber.Create(regionCode, new DateOnly(1950 + (i % 50), 1 + (i % 12), 1 + (i % 28)), 1 + ((run + (i / 600)) % 998));
            var face = FaceVectors.Person((run * 100_000) + i);
            var enrolled = await http.PostAsOperator(operatorKey, "/v1/operator/citizens",
                new EnrollCitizenRequest(id.Value, $"Citizen {i}", FaceVectors.Live(face), null), ct);
            if (enrolled.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            {
                throw new InvalidOperationException($"Enrollment failed: {(int)enrolled.StatusCode}");
            }

            var wallet = Wallet.Wallet.Create();
            var activated = await wallet.ActivateAsync(http, id.Value, FaceVectors.Live(FaceVectors.Capture(face, i)), null);
            if (activated.IsSuccessStatusCode)
            {
                wallets.Add(wallet);
            }
            else
            {
                wallet.Dispose();
            }
        });

        return (apiKey, wallets.ToArray());
    }
}
