using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NationalId.Storage;
using Npgsql;

namespace NationalId.History;

/// <summary>
/// Keeps the daily partitions of the access history and the replay fence on every citizen shard (makes them ahead of
/// time, drops those past the retention) and trims the RPs' event feeds in the national database. Every silo runs it;
/// the SQL functions are idempotent, so several at once do no harm.
/// </summary>
public sealed class HistoryMaintainer(
    NpgsqlDataSource national,
    ShardDataSources shards,
    IOptions<HistoryOptions> options,
    TimeProvider clock,
    ILogger<HistoryMaintainer> logger) : BackgroundService
{
    /// <summary>Runs one maintenance pass over every shard; returns partitions made and dropped.</summary>
    public async Task<(int Made, int Dropped)> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var o = options.Value;

        // Each RP keeps at least its newest row, so its sequence never restarts below a cursor the RP saved.
        await using (var feed = national.CreateCommand(
            "DELETE FROM rp_event_feed f WHERE f.recorded_at < now() - make_interval(days => $1) " +
            "AND f.seq < (SELECT max(n.seq) FROM rp_event_feed n WHERE n.relying_party_id = f.relying_party_id)"))
        {
            feed.Parameters.Add(new NpgsqlParameter { Value = o.FeedRetentionDays });
            await feed.ExecuteNonQueryAsync(cancellationToken);
        }

        var (made, dropped) = (0, 0);
        foreach (var (shard, source) in shards.All)
        {
            try
            {
                var (m, d) = await PartitionsAsync(shard, source, o, cancellationToken);
                (made, dropped) = (made + m, dropped + d);
            }
            catch (NpgsqlException ex) when (shards.Map.Shards.Count > 1)
            {
                // One shard out of reach (failing over) must not hold back the others' partitions.
                logger.LogWarning("History maintenance of shard {Shard} failed, will retry: {Error}", shard.Name, ex.GetType().Name);
            }
        }

        return (made, dropped);
    }

    private async Task<(int Made, int Dropped)> PartitionsAsync(StorageShard shard, NpgsqlDataSource dataSource, HistoryOptions o, CancellationToken cancellationToken)
    {
        // Dropping first: a failure to make tomorrow's partition must never stop old data from going.
        await using var drop = dataSource.CreateCommand("SELECT nid_history_drop_partitions($1)");
        drop.Parameters.Add(new NpgsqlParameter { Value = o.RetentionDays });
        var dropped = (int)(await drop.ExecuteScalarAsync(cancellationToken))!;
        await using (var fence = dataSource.CreateCommand("SELECT nid_fence_drop_partitions()"))
        {
            await fence.ExecuteScalarAsync(cancellationToken);
        }

        var made = 0;
        try
        {
            await using var ensure = dataSource.CreateCommand("SELECT nid_history_ensure_partitions(1, $1)");
            ensure.Parameters.Add(new NpgsqlParameter { Value = o.PartitionsAhead });
            made = (int)(await ensure.ExecuteScalarAsync(cancellationToken))!;
            await using var ensureFence = dataSource.CreateCommand("SELECT nid_fence_ensure_partitions(1, $1)");
            ensureFence.Parameters.Add(new NpgsqlParameter { Value = o.PartitionsAhead });
            await ensureFence.ExecuteScalarAsync(cancellationToken);
        }
        catch (PostgresException ex)
        {
            // Rows for that day already sit in the default partition: lines are still kept (there), only the day
            // will not get its own partition; an operator moves them (docs/decisions/architecture.md).
            logger.LogError("Making history partitions on shard {Shard} failed: {SqlState}", shard.Name, ex.SqlState);
        }

        if (made + dropped > 0)
        {
            logger.LogInformation("History partitions on shard {Shard}: {Made} made, {Dropped} dropped", shard.Name, made, dropped);
        }

        return (made, dropped);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MaintenanceInterval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                logger.LogWarning("History maintenance failed, will retry: {Error}", ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
