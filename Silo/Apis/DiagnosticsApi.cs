using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace NationalId.Silo.Apis;

/// <summary>
/// Operator diagnostics for capacity planning (./bench.sh grains): this silo's managed memory after a full
/// collection, the cluster's grain activation counts, and a way to deactivate idle grains cluster-wide so the next
/// call is a cold one. Memory per grain is only meaningful on a one-silo cluster. Costly: full blocking collections.
/// </summary>
public static class DiagnosticsApi
{
    public sealed record MemoryReport(long ManagedBytes, int Activations, int CitizenActivations);

    /// <summary>
    /// One active silo, its region, and how many citizen grains of each home region it holds (null when the silo did
    /// not answer within two seconds: it may be dead and not yet declared so).
    /// </summary>
    public sealed record SiloPlacement(string Silo, string? Region, IReadOnlyDictionary<string, int>? CitizensByHomeRegion);

    public sealed record PlacementReport(IReadOnlyList<SiloPlacement> Silos);

    public static IEndpointRouteBuilder MapDiagnosticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/operator/diagnostics").WithTags("Operator");
        api.AddEndpointFilter(OperatorApi.RequireOperatorFilter);
        api.MapPost("/memory", Memory);
        api.MapPost("/deactivate-idle", DeactivateIdle);
        api.MapGet("/placement", Placement);
        return app;
    }

    public static async Task<Ok<MemoryReport>> Memory(IGrainFactory grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var stats = await management.GetSimpleGrainStatistics();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return TypedResults.Ok(new MemoryReport(
            GC.GetTotalMemory(forceFullCollection: true),
            stats.Sum(s => s.ActivationCount),
            stats.Where(s => s.GrainType.Contains("CitizenGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount)));
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

    public static async Task<NoContent> DeactivateIdle(IGrainFactory grains)
    {
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        return TypedResults.NoContent();
    }
}
