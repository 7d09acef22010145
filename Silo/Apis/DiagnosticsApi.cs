using Microsoft.AspNetCore.Http.HttpResults;

namespace NationalId.Silo.Apis;

/// <summary>
/// Operator diagnostics for capacity planning (./bench.sh grains): this silo's managed memory after a full
/// collection, the cluster's grain activation counts, and a way to deactivate idle grains cluster-wide so the next
/// call is a cold one. Memory per grain is only meaningful on a one-silo cluster. Costly: full blocking collections.
/// </summary>
public static class DiagnosticsApi
{
    public sealed record MemoryReport(long ManagedBytes, int Activations, int CitizenActivations);

    public static IEndpointRouteBuilder MapDiagnosticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/operator/diagnostics").WithTags("Operator");
        api.AddEndpointFilter(OperatorApi.RequireOperatorFilter);
        api.MapPost("/memory", Memory);
        api.MapPost("/deactivate-idle", DeactivateIdle);
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

    public static async Task<NoContent> DeactivateIdle(IGrainFactory grains)
    {
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        return TypedResults.NoContent();
    }
}
