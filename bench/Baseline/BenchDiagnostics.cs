using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Silo.Apis;

namespace NationalId.Bench;

/// <summary>
/// The benchmark probes (./bench.sh grains, scenario, oracle): this silo's managed memory after a full collection
/// with the cluster's activation counts, and the deactivation of every idle grain cluster-wide so the next call is a
/// cold one. Each stops the world or empties the cluster's memory, so no production silo serves them; memory per
/// grain is only meaningful on a one-silo cluster. Operator-only, on the management listener like the other
/// diagnostics.
/// </summary>
public static class BenchDiagnostics
{
    public sealed record MemoryReport(long ManagedBytes, int Activations, int CitizenActivations);

    public static WebApplication MapBenchDiagnostics(this WebApplication app)
    {
        var diagnostics = app.MapGroup("/v1/operator/diagnostics").WithTags("Benchmark").RequireAuthorization(GatewayPolicies.Operator);
        diagnostics.MapPost("/memory", Memory);
        diagnostics.MapPost("/deactivate-idle", DeactivateIdle);
        return app;
    }

    public static async Task<Ok<MemoryReport>> Memory(IGrainFactory grains)
    {
        var stats = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
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
