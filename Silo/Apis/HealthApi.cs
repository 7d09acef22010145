using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace NationalId.Silo.Apis;

/// <summary>Liveness (the process answers) and readiness (PostgreSQL reachable and this silo active in the cluster).</summary>
public static class HealthApi
{
    public sealed record HealthReport(string Status, string Database, string Cluster);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", () => TypedResults.Ok(new HealthReport("live", "unchecked", "unchecked"))).WithTags("Health").AllowAnonymous();
        app.MapGet("/health/ready", Ready).WithTags("Health").AllowAnonymous();
        return app;
    }

    public static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> Ready(
        NpgsqlDataSource dataSource, IClusterMembershipService membership, ILocalSiloDetails silo, HttpContext context)
    {
        var database = "unavailable";
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var command = dataSource.CreateCommand("SELECT 1");
            database = Equals(await command.ExecuteScalarAsync(timeout.Token), 1) ? "ok" : "unavailable";
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
        }

        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        var cluster = status == SiloStatus.Active ? "ok" : status.ToString().ToLowerInvariant();
        var report = new HealthReport(database == "ok" && cluster == "ok" ? "ready" : "not_ready", database, cluster);
        if (report.Status == "ready")
        {
            return TypedResults.Ok(report);
        }

        context.Response.Headers.RetryAfter = "2";
        return TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
