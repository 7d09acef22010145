using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NationalId.Client.Audit;
using NationalId.History;
using NationalId.Silo.Database;
using NationalId.Telemetry;
using Npgsql;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// The access history's hash chains, written by the real group-commit writer into real PostgreSQL and checked by the
/// auditor's verifier (nid audit verify): intact as written; a changed line, a removed line and a cut tail (against
/// exported heads) are each named.
/// </summary>
public sealed class AuditChainTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private PostgresAccessHistory _history = null!;
    private readonly List<HistoryRecord> _written = [];
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        await SchemaMigrator.ApplyAsync(_database.ConnectionString, Path.Combine(AppContext.BaseDirectory, "sql"), NullLogger.Instance);
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _history = new PostgresAccessHistory(
            _dataSource, new NationalIdMetrics(_services.GetRequiredService<IMeterFactory>()), Options.Create(new HistoryOptions()), NullLogger<PostgresAccessHistory>.Instance);
        await _history.StartAsync(CancellationToken.None);

        // Verifications through the group commit, and credential events through the idempotent insert, interleaved.
        for (var i = 0; i < 30; i++)
        {
            var now = DateTimeOffset.UtcNow;
            var record = i % 5 == 4
                ? new HistoryRecord(Guid.CreateVersion7(now), now, $"c44-{new string((char)('a' + (i % 26)), 32)}", HistoryKind.Suspended, [1, 2], Channel: "hotline", Note: "lost")
                : new HistoryRecord(Guid.CreateVersion7(now), now, $"c44-{new string((char)('a' + (i % 26)), 32)}", HistoryKind.Verification, [3], [4, 5], "rp-44-aaaaaaaaaaaaaaaa",
                    "rail.gate", true, null, 2, ["age_over_18"], "44", false);
            if (record.Kind == HistoryKind.Verification)
            {
                await _history.AppendAsync(record);
            }
            else
            {
                await _history.AppendEventsAsync([record]);
                await _history.AppendEventsAsync([record]); // delivered twice by an outbox: stored and chained once
            }

            _written.Add(record);
        }
    }

    public async Task DisposeAsync()
    {
        await _history.StopAsync(CancellationToken.None);
        await _dataSource.DisposeAsync();
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_chains_as_written_are_intact()
    {
        var report = await AuditVerifier.VerifyAsync(_database.ConnectionString, DateOnly.FromDateTime(DateTime.UtcNow));
        Assert.True(report.Intact, report.FirstBroken?.Problem);
        Assert.Equal(_written.Count, report.Lines);
        Assert.Equal(1, report.Chains);
    }

    [Fact]
    public async Task A_changed_line_is_named()
    {
        var victim = _written[12];
        await Execute($"UPDATE access_history SET verified = false, reason = 'revoked' WHERE event_id = '{victim.EventId}'");
        var report = await AuditVerifier.VerifyAsync(_database.ConnectionString);
        Assert.Equal(victim.EventId, report.FirstBroken!.EventId);
        Assert.Contains("changed", report.FirstBroken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_line_is_named_by_its_place()
    {
        await Execute($"DELETE FROM access_history WHERE event_id = '{_written[7].EventId}'");
        var report = await AuditVerifier.VerifyAsync(_database.ConnectionString);
        Assert.Equal(8, report.FirstBroken!.Sequence);
        Assert.Contains("missing", report.FirstBroken.Problem, StringComparison.Ordinal);
        Assert.Equal(_written[8].EventId, report.FirstBroken.EventId); // the next line still stored
    }

    [Fact]
    public async Task A_cut_tail_is_seen_against_exported_heads()
    {
        var exported = (await AuditVerifier.VerifyAsync(_database.ConnectionString)).Heads;
        await Execute($"DELETE FROM access_history WHERE event_id IN ('{_written[^1].EventId}', '{_written[^2].EventId}')");

        Assert.True((await AuditVerifier.VerifyAsync(_database.ConnectionString)).Intact); // alone, a shorter chain looks whole
        var report = await AuditVerifier.VerifyAsync(_database.ConnectionString, exported: exported);
        Assert.Equal(_written.Count - 1, report.FirstBroken!.Sequence);
        Assert.Contains("removed from the end", report.FirstBroken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_rewritten_and_recomputed_after_the_export_is_caught_by_the_exported_head()
    {
        var exported = (await AuditVerifier.VerifyAsync(_database.ConnectionString)).Heads;

        // Someone with write access changes a line and recomputes every hash after it: the chain alone looks whole.
        var victim = _written[5];
        await Execute($"UPDATE access_history SET verified = false WHERE event_id = '{victim.EventId}'");
        await Recompute();
        Assert.True((await AuditVerifier.VerifyAsync(_database.ConnectionString)).Intact);

        var report = await AuditVerifier.VerifyAsync(_database.ConnectionString, exported: exported);
        Assert.Contains("rewritten", report.FirstBroken!.Problem, StringComparison.Ordinal);
    }

    /// <summary>What a forger with the table and the (public) chain function would do.</summary>
    private async Task Recompute()
    {
        var rows = new List<(DateTimeOffset At, Guid Chain, long Seq, AuditLine Line)>();
        await using (var read = _dataSource.CreateCommand($"SELECT {AuditVerifier.LineColumns}, chain_id, chain_seq FROM access_history ORDER BY chain_id, chain_seq"))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetFieldValue<DateTimeOffset>(1), reader.GetGuid(17), reader.GetInt64(18), AuditVerifier.ReadLine(reader)));
            }
        }

        var head = AuditChain.Genesis;
        foreach (var row in rows)
        {
            head = AuditChain.Next(head, row.Chain, row.Seq, row.Line);
            await using var update = _dataSource.CreateCommand("UPDATE access_history SET chain_hash = $1 WHERE event_id = $2 AND recorded_at = $3");
            update.Parameters.Add(new NpgsqlParameter { Value = head });
            update.Parameters.Add(new NpgsqlParameter { Value = row.Line.EventId });
            update.Parameters.Add(new NpgsqlParameter { Value = row.At });
            await update.ExecuteNonQueryAsync();
        }
    }

    private async Task Execute(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
