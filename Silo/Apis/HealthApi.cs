using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace NationalId.Silo.Apis;

/// <summary>
/// Liveness (the process answers) and readiness (the national PostgreSQL reachable and this silo active in the
/// cluster). Citizen shards are reported but do not decide readiness: with one shard failing over, every silo is
/// still the right place for the other shards' citizens, and taking them all out of the load balancer would turn a
/// partial outage into a total one (the failing shard's requests answer 503 + Retry-After meanwhile).
/// </summary>
public static class HealthApi
{
    public sealed record HealthReport(
        string Status,
        string Database,
        string Cluster,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
        IReadOnlyDictionary<string, string>? Shards = null);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new HealthReport("live", "unchecked", "unchecked"))).WithTags("Health").AllowAnonymous();
        app.MapGet("/health/ready", Ready).WithTags("Health").AllowAnonymous();
        return app;
    }

    public static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> Ready(
        NpgsqlDataSource dataSource, Storage.ShardDataSources shards, IClusterMembershipService membership, ILocalSiloDetails silo, HttpContext context)
    {
        var checks = shards.All.Select(s => (s.Shard.Name, Check: ProbeAsync(s.Source, context.RequestAborted))).ToList();
        var database = await ProbeAsync(dataSource, context.RequestAborted);
        var shardStatus = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, check) in checks)
        {
            shardStatus[name] = await check;
        }

        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        var cluster = status == SiloStatus.Active ? "ok" : status.ToString().ToLowerInvariant();
        var report = new HealthReport(database == "ok" && cluster == "ok" ? "ready" : "not_ready", database, cluster, shardStatus);
        if (report.Status == "ready")
        {
            return TypedResults.Ok(report);
        }

        context.Response.Headers.RetryAfter = "2";
        return TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<string> ProbeAsync(NpgsqlDataSource dataSource, CancellationToken aborted)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var command = dataSource.CreateCommand("SELECT 1");
            return Equals(await command.ExecuteScalarAsync(timeout.Token), 1) ? "ok" : "unavailable";
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return "unavailable";
        }
    }
}
