using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NationalId.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace NationalId.History;

/// <summary>
/// The access history in PostgreSQL with group commit: callers queue records and wait; one writer takes everything
/// waiting and writes it in a single binary COPY (one round trip, one transaction), then releases all of them.
/// Under load a batch grows by itself, so durability costs far less than one round trip per verification.
/// </summary>
public sealed class PostgresAccessHistory(
    NpgsqlDataSource dataSource,
    NationalIdMetrics metrics,
    IOptions<HistoryOptions> options,
    ILogger<PostgresAccessHistory> logger) : BackgroundService, IAccessHistory
{
    private readonly bool _awaitDurable = options.Value.AwaitDurable;

    private const int MaxBatch = 2000;

    private const string Columns =
        "event_id, recorded_at, citizen_handle, kind, credential_id, presentation_nonce, relying_party_id, scope, verified, " +
        "reason, assurance, disclosed_attributes, rp_province, cross_province, channel, note";

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public Task AppendAsync(HistoryRecord record, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(record, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new HistoryUnavailableException("The access history is stopped.");
        }

        return _awaitDurable ? pending.Done.Task : Task.CompletedTask;
    }

    public async Task AppendEventsAsync(IReadOnlyList<HistoryRecord> records, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var batch = dataSource.CreateBatch();
            foreach (var r in records)
            {
                var command = new NpgsqlBatchCommand(
                    $"INSERT INTO access_history ({Columns}) VALUES ($1, $2, $3, $4, $5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, $6, $7) " +
                    "ON CONFLICT DO NOTHING");
                command.Parameters.Add(new NpgsqlParameter { Value = r.EventId, NpgsqlDbType = NpgsqlDbType.Uuid });
                command.Parameters.Add(new NpgsqlParameter { Value = r.RecordedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                command.Parameters.Add(new NpgsqlParameter { Value = r.CitizenHandle });
                command.Parameters.Add(new NpgsqlParameter { Value = r.Kind });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)r.CredentialId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)r.Channel ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)r.Note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new HistoryUnavailableException("The access history could not be written.", ex);
        }
    }

    public async Task<IReadOnlyList<(byte[] Nonce, Guid VerificationId)>> RecentNoncesAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT presentation_nonce, event_id FROM access_history " +
            "WHERE citizen_handle = $1 AND recorded_at >= $2 AND presentation_nonce IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = citizenHandle });
        command.Parameters.Add(new NpgsqlParameter { Value = since.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var nonces = new List<(byte[], Guid)>();
        await using var reader = await Run(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            nonces.Add(((byte[])reader[0], reader.GetGuid(1)));
        }

        return nonces;
    }

    public async Task<HistoryRecord?> FindVerificationAsync(string citizenHandle, Guid verificationId, CancellationToken cancellationToken = default)
    {
        // The id's timestamp is the record's time: the lookup touches one partition.
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM access_history WHERE citizen_handle = $1 AND event_id = $2 AND recorded_at = $3 AND kind = 'verification'");
        command.Parameters.Add(new NpgsqlParameter { Value = citizenHandle });
        command.Parameters.Add(new NpgsqlParameter { Value = verificationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = UuidV7.Timestamp(verificationId).UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return (await ReadRecords(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<string>> RelyingPartiesThatVerifiedAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT DISTINCT relying_party_id FROM access_history " +
            "WHERE citizen_handle = $1 AND recorded_at >= $2 AND kind = 'verification' AND verified");
        command.Parameters.Add(new NpgsqlParameter { Value = citizenHandle });
        command.Parameters.Add(new NpgsqlParameter { Value = since.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var ids = new List<string>();
        await using var reader = await Run(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public Task<IReadOnlyList<HistoryRecord>> ReadCitizenAsync(string citizenHandle, Guid? before, int limit, CancellationToken cancellationToken = default) =>
        Read("citizen_handle", citizenHandle, before, limit, cancellationToken);

    public async Task<IReadOnlyList<HistoryRecord>> ReadCitizenEventsAsync(string citizenHandle, Guid? after, int limit, CancellationToken cancellationToken = default)
    {
        if (after is null)
        {
            // No cursor: the most recent events, returned oldest first.
            await using var latest = dataSource.CreateCommand(
                $"SELECT * FROM (SELECT {Columns} FROM access_history WHERE citizen_handle = $1 AND kind <> 'verification' " +
                "ORDER BY event_id DESC LIMIT $2) newest ORDER BY event_id");
            latest.Parameters.Add(new NpgsqlParameter { Value = citizenHandle });
            latest.Parameters.Add(new NpgsqlParameter { Value = limit });
            return await ReadRecords(latest, cancellationToken);
        }

        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM access_history WHERE citizen_handle = $1 AND kind <> 'verification' " +
            "AND event_id > $2 AND recorded_at >= $3 ORDER BY event_id LIMIT $4");
        command.Parameters.Add(new NpgsqlParameter { Value = citizenHandle });
        command.Parameters.Add(new NpgsqlParameter { Value = after.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = UuidV7.Timestamp(after.Value).UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadRecords(command, cancellationToken);
    }

    /// <summary>
    /// The RP's log: one line per answer it got. A delegated verification leaves two lines naming the RP (the
    /// delegate's and the principal's); the RP sees the delegate's, under the id it received.
    /// </summary>
    public Task<IReadOnlyList<HistoryRecord>> ReadRelyingPartyAsync(string relyingPartyId, Guid? before, int limit, CancellationToken cancellationToken = default) =>
        Read("relying_party_id", relyingPartyId, before, limit, cancellationToken, "AND channel IS DISTINCT FROM 'mandate' ");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_awaitDurable)
        {
            logger.LogWarning("NationalId:History:AwaitDurable is off: answers do not wait for their history line. Benchmarks only.");
        }

        var batch = new List<Pending>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await WriteBatch(batch);
            batch.Clear();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Drain: everything already queued is written (or failed) before the process goes away.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<HistoryRecord>> Read(string column, string key, Guid? before, int limit, CancellationToken cancellationToken, string filter = "")
    {
        // The cursor is a UUIDv7 event id: ordering by it is ordering by time, and its timestamp bounds the partitions.
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM access_history WHERE {column} = $1 {filter}" +
            (before is null ? string.Empty : "AND event_id < $3 AND recorded_at <= $4 ") +
            "ORDER BY event_id DESC LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        if (before is { } cursor)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = cursor, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = UuidV7.Timestamp(cursor).AddMilliseconds(1).UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        }

        return await ReadRecords(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<HistoryRecord>> ReadRecords(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var records = new List<HistoryRecord>();
        await using var reader = await Run(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new HistoryRecord(
                reader.GetGuid(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : (byte[])reader[4],
                reader.IsDBNull(5) ? null : (byte[])reader[5],
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetBoolean(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetInt16(10),
                reader.IsDBNull(11) ? null : reader.GetFieldValue<string[]>(11),
                reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.IsDBNull(13) ? null : reader.GetBoolean(13),
                reader.IsDBNull(14) ? null : reader.GetString(14),
                reader.IsDBNull(15) ? null : reader.GetString(15)));
        }

        return records;
    }

    private static async Task<NpgsqlDataReader> Run(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new HistoryUnavailableException("The access history could not be read.", ex);
        }
    }

    private async Task WriteBatch(List<Pending> batch)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using (var writer = await connection.BeginBinaryImportAsync($"COPY access_history ({Columns}) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var p in batch)
                {
                    var r = p.Record;
                    await writer.StartRowAsync();
                    await writer.WriteAsync(r.EventId, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(r.RecordedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(r.CitizenHandle, NpgsqlDbType.Text);
                    await writer.WriteAsync(r.Kind, NpgsqlDbType.Text);
                    await Nullable(writer, r.CredentialId, NpgsqlDbType.Bytea);
                    await Nullable(writer, r.PresentationNonce, NpgsqlDbType.Bytea);
                    await Nullable(writer, r.RelyingPartyId, NpgsqlDbType.Text);
                    await Nullable(writer, r.Scope, NpgsqlDbType.Text);
                    await Nullable(writer, r.Verified, NpgsqlDbType.Boolean);
                    await Nullable(writer, r.Reason, NpgsqlDbType.Text);
                    await Nullable(writer, r.Assurance, NpgsqlDbType.Smallint);
                    await Nullable(writer, r.DisclosedAttributes, NpgsqlDbType.Array | NpgsqlDbType.Text);
                    await Nullable(writer, r.RelyingPartyProvince, NpgsqlDbType.Text);
                    await Nullable(writer, r.CrossProvince, NpgsqlDbType.Boolean);
                    await Nullable(writer, r.Channel, NpgsqlDbType.Text);
                    await Nullable(writer, r.Note, NpgsqlDbType.Text);
                }

                await writer.CompleteAsync();
            }

            metrics.HistoryBatch(batch.Count);
            foreach (var p in batch)
            {
                p.Done.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            logger.LogError("Writing {Count} history records failed: {Error}", batch.Count, ex.GetType().Name);
            foreach (var p in batch)
            {
                p.Done.TrySetException(new HistoryUnavailableException("The access history could not be written.", ex));
            }
        }
    }

    private static Task Nullable<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) =>
        value is null ? writer.WriteNullAsync() : writer.WriteAsync(value, type);

    private sealed record Pending(HistoryRecord Record, TaskCompletionSource Done);
}
