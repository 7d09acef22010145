using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Citizens;
using NationalId.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace NationalId.Silo.Apis;

/// <summary>
/// Operator diagnostics and maintenance that a production silo may serve: where citizens' grains live (counts only)
/// and the master-key re-wrap pass. The costly benchmark probes (forced full collections, deactivating every idle
/// grain) are not here: only the benchmark host serves them (bench/Baseline/BenchDiagnostics.cs).
/// </summary>
public static class DiagnosticsApi
{
    /// <summary>
    /// One active silo, its region, and how many citizen grains of each home region it holds (null when the silo did
    /// not answer within two seconds: it may be dead and not yet declared so).
    /// </summary>
    public sealed record SiloPlacement(string Silo, string? Region, IReadOnlyDictionary<string, int>? CitizensByHomeRegion);

    public sealed record PlacementReport(IReadOnlyList<SiloPlacement> Silos);

    /// <summary>Maps onto the operator group (/v1/operator).</summary>
    public static RouteGroupBuilder MapDiagnosticsApi(this RouteGroupBuilder operatorApi)
    {
        operatorApi.MapGet("/diagnostics/placement", Placement);
        operatorApi.MapPost("/maintenance/rewrap", Rewrap);
        return operatorApi;
    }

    /// <summary>
    /// Where citizens live: per active silo (as this silo sees the cluster), its region and its citizen activations by
    /// home region. Counts only, never a handle.
    /// </summary>
    public static async Task<Ok<PlacementReport>> Placement(IGrainFactory grains, ISiloMetadataCache metadata, RegionMap regions)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: true);
        var silos = await Task.WhenAll(hosts.Keys.Select(async silo =>
        {
            IReadOnlyDictionary<string, int>? counts = null;
            try
            {
                var citizens = await management.GetDetailedGrainStatistics(null, [silo]).WaitAsync(TimeSpan.FromSeconds(2));
                counts = citizens.Where(c => c.GrainId.Type.ToString() == "citizen")
                    .GroupBy(c => regions.RegionOfKey(c.GrainId.Key.ToString()) ?? "none")
                    .ToDictionary(g => g.Key, g => g.Count());
            }
            catch (Exception ex) when (ex is TimeoutException || Verification.Verifier.IsSiloFailure(ex))
            {
                // reported as unknown
            }

            return new SiloPlacement(silo.ToString(), metadata.GetSiloMetadata(silo).Metadata.GetValueOrDefault(RegionMap.MetadataKey), counts);
        }));
        return TypedResults.Ok(new PlacementReport([.. silos.OrderBy(s => s.Silo, StringComparer.Ordinal)]));
    }

    public sealed record RewrapReport(int Rewrapped, long Remaining, uint CurrentMasterKeyId);

    /// <summary>
    /// Master-key rotation: re-writes up to <paramref name="limit"/> citizens whose data key is still wrapped by an
    /// older master key (or who were stored before encryption at rest), and says how many remain. Run it until
    /// <c>remaining</c> is 0, then the old key can be removed from configuration.
    /// </summary>
    public static async Task<Ok<RewrapReport>> Rewrap(IGrainFactory grains, Storage.ShardDataSources shards, Security.CitizenDataProtector protector, int? limit = null)
    {
        const string stale = "FROM orleans_grain_state_json WHERE grain_type = 'citizen' AND grain_key_ext IS NOT NULL " +
            "AND (payload_json -> 'sealed' ->> 'Kid') IS DISTINCT FROM $1";
        var current = protector.CurrentKeyId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var left = Math.Clamp(limit ?? 500, 1, 10_000);
        var (rewrapped, remaining) = (0, 0L);

        // Shard by shard (each holds its own citizens), up to the limit in all; every shard's remainder is counted.
        foreach (var (_, dataSource) in shards.All)
        {
            var handles = new List<string>();
            if (left > 0)
            {
                await using var select = dataSource.CreateCommand($"SELECT grain_key_ext {stale} LIMIT $2");
                select.Parameters.Add(new Npgsql.NpgsqlParameter { Value = current });
                select.Parameters.Add(new Npgsql.NpgsqlParameter { Value = left });
                await using var reader = await select.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    handles.Add(reader.GetString(0));
                }
            }

            foreach (var handle in handles)
            {
                rewrapped += await grains.GetGrain<ICitizenGrain>(handle).Reseal() ? 1 : 0;
            }

            left -= handles.Count;
            await using var count = dataSource.CreateCommand($"SELECT count(*) {stale}");
            count.Parameters.Add(new Npgsql.NpgsqlParameter { Value = current });
            remaining += (long)(await count.ExecuteScalarAsync())!;
        }

        return TypedResults.Ok(new RewrapReport(rewrapped, remaining, protector.CurrentKeyId));
    }
}
