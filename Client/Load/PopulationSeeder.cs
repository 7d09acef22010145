using System.Diagnostics;
using System.Net;
using NationalId.Api;
using NationalId.Client.Faces;

namespace NationalId.Client.Load;

/// <summary>
/// Enrolls planned citizens and binds a phone for each through the real operator and wallet APIs, reporting each
/// bound phone as it comes (to a scenario in memory, or to a <see cref="WalletStore"/> file for `nid seed`).
/// </summary>
public static class PopulationSeeder
{
    public static async Task<int> SeedAsync(
        HttpClient http, string operatorKey, IEnumerable<PlannedCitizen> citizens, int concurrency, Action<WalletStore.Entry> bound, TextWriter log)
    {
        var done = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(citizens, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (citizen, ct) =>
        {
            var face = FaceVectors.Person(citizen.Index + 7);
            var enrolled = await http.PostAsOperator(operatorKey, "/v1/operator/citizens",
                new EnrollCitizenRequest(citizen.IdNumber.Value, $"Traveller {citizen.Index}", FaceVectors.Live(face), citizen.ResidenceProvince), ct);
            if (enrolled.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            {
                return;
            }

            using var wallet = Wallet.Wallet.Create();
            if ((await wallet.ActivateAsync(http, citizen.IdNumber.Value, FaceVectors.Live(FaceVectors.Capture(face, 1)), null)).IsSuccessStatusCode)
            {
                bound(new WalletStore.Entry(citizen.Index, citizen.IdNumber.ProvinceCode, wallet.File));
                if (Interlocked.Increment(ref done) % 10_000 == 0)
                {
                    log.WriteLine($"seeded {done} citizens, {done / clock.Elapsed.TotalSeconds:F0}/s");
                }
            }
        });
        return done;
    }
}
