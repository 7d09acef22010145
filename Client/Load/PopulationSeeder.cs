using System.Diagnostics;
using System.Net;
using NationalId.Api;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;

namespace NationalId.Client.Load;

/// <summary>
/// Enrolls planned citizens and binds a phone for each through the real operator and wallet APIs, reporting each
/// bound phone as it comes (to a scenario in memory, to a load run, or to a <see cref="WalletStore"/> file).
/// </summary>
public static class PopulationSeeder
{
    public static async Task<int> SeedAsync(
        HttpClient http, string operatorKey, IEnumerable<PlannedCitizen> citizens, int concurrency, Action<WalletStore.Entry> bound, TextWriter log,
        bool enrolled = false, CancellationToken cancellationToken = default)
    {
        var done = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(citizens, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (citizen, ct) =>
        {
            if (await EnrollOneAsync(http, operatorKey, citizen, enrolled, ct) is { } phone)
            {
                bound(new WalletStore.Entry(citizen.Index, citizen.IdNumber.ProvinceCode, phone));
                if (Interlocked.Increment(ref done) % 10_000 == 0)
                {
                    log.WriteLine($"seeded {done} citizens, {done / clock.Elapsed.TotalSeconds:F0}/s");
                }
            }
        });
        return done;
    }

    /// <summary>The planned citizen's face (the same for the API seed and the register import).</summary>
    public static float[] FaceOf(PlannedCitizen citizen) => FaceVectors.Person(citizen.Index + 7);

    /// <summary>
    /// Enrolls one citizen (already enrolled is fine; <paramref name="enrolled"/>: known to be, by an import) and binds
    /// a new phone; its wallet file, or null.
    /// </summary>
    public static async Task<WalletFile?> EnrollOneAsync(HttpClient http, string operatorKey, PlannedCitizen citizen, bool enrolled = false, CancellationToken cancellationToken = default)
    {
        var face = FaceOf(citizen);
        if (!enrolled)
        {
            using var enrollment = await http.PostAsOperator(operatorKey, "/v1/operator/citizens",
                new EnrollCitizenRequest(citizen.IdNumber.Value, $"Citizen {citizen.Index}", FaceVectors.Live(face), citizen.ResidenceProvince), cancellationToken);
            if (enrollment.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            {
                return null;
            }
        }

        using var wallet = Wallet.Wallet.Create();
        var activated = await wallet.ActivateAsync(http, citizen.IdNumber.Value, FaceVectors.Live(FaceVectors.Capture(face, 1)), null);
        return activated.IsSuccessStatusCode ? wallet.File : null;
    }
}
