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

    private const string ChainColumns = "chain_id, chain_seq, chain_hash";
    private const string RegistrationColumn = "sealed_registration";

    // Only lines linked into a writer's audit chain are history (deploy/sql/016): a line slipped into the table without
    // one is never shown, never widens an event audience, never feeds the replay window.
    private const string Chained = "chain_id IS NOT NULL";

    // The audit chain of this writer (deploy/sql/012_audit_chain.sql): one per process and UTC day, advanced only by a
    // write that committed, under this gate (the group-commit writer and event inserts both link lines).
    private readonly SemaphoreSlim _chainGate = new(1, 1);
    private readonly HistoryChain _chain = new();

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public Task<HistoryRecord?> AppendAsync(HistoryRecord record, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(record, new TaskCompletionSource<HistoryRecord?>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new HistoryUnavailableException("The access history is stopped.");
        }

        return _awaitDurable ? pending.Done.Task : Task.FromResult<HistoryRecord?>(null);
    }

    public async Task AppendEventsAsync(IReadOnlyList<HistoryRecord> records, CancellationToken cancellationToken = default)
    {
        await _chainGate.WaitAsync(cancellationToken);
        try
        {
            // An outbox may deliver an event again after a crash: lines already present are left out (not inserted
            // and not chained), the others are chained and inserted in one transaction, all or none.
            var lines = records.Select(Normalized).ToList();
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var present = new HashSet<Guid>();
            await using (var existing = new NpgsqlCommand(
                "SELECT event_id FROM access_history WHERE chain_id IS NOT NULL AND (recorded_at, event_id) IN (SELECT * FROM unnest($1::timestamptz[], $2::uuid[]))", connection))
            {
                existing.Parameters.Add(new NpgsqlParameter { Value = lines.Select(r => r.RecordedAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
                existing.Parameters.Add(new NpgsqlParameter { Value = lines.Select(r => r.EventId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
                await using var reader = await existing.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    present.Add(reader.GetGuid(0));
                }
            }

            var chain = _chain.Begin(DateTimeOffset.UtcNow);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var r in lines.Where(r => !present.Contains(r.EventId)).DistinctBy(r => r.EventId))
            {
                var (chainId, sequence, hash) = chain.Link(r);
                var command = new NpgsqlBatchCommand(
                    $"INSERT INTO access_history ({Columns}, {ChainColumns}) VALUES ($1, $2, $3, $4, $5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, $6, $7, $8, $9, $10)");
                command.Parameters.Add(new NpgsqlParameter { Value = r.EventId, NpgsqlDbType = NpgsqlDbType.Uuid });
                command.Parameters.Add(new NpgsqlParameter { Value = r.RecordedAt.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
                command.Parameters.Add(new NpgsqlParameter { Value = r.CitizenHandle });
                command.Parameters.Add(new NpgsqlParameter { Value = r.Kind });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)r.CredentialId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)r.Channel ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = (object?)r.Note ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter { Value = chainId, NpgsqlDbType = NpgsqlDbType.Uuid });
                command.Parameters.Add(new NpgsqlParameter { Value = sequence, NpgsqlDbType = NpgsqlDbType.Bigint });
                command.Parameters.Add(new NpgsqlParameter { Value = hash, NpgsqlDbType = NpgsqlDbType.Bytea });
                batch.BatchCommands.Add(command);
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            chain.Commit();
        }
        catch (PostgresException ex) when (IsPermanent(ex))
        {
            throw new HistoryRejectedException("The access history refused the records.", ex);
        }
        catch (NpgsqlException ex)
        {
            throw new HistoryUnavailableException("The access history could not be written.", ex);
        }
        finally
        {
            _chainGate.Release();
        }
    }

    /// <summary>
    /// Errors that the same data will meet again however often it is sent: data exceptions (class 22, e.g. a NUL in
    /// text), integrity violations (class 23, e.g. a line without its audit chain) and program limits (class 54).
    /// </summary>
    public static bool IsPermanent(PostgresException ex) =>
        ex.SqlState.StartsWith("22", StringComparison.Ordinal)
        || ex.SqlState.StartsWith("23", StringComparison.Ordinal)
        || ex.SqlState.StartsWith("54", StringComparison.Ordinal);

    public async Task<IReadOnlyList<(byte[] Nonce, Guid VerificationId)>> RecentNoncesAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT presentation_nonce, event_id FROM access_history " +
            "WHERE citizen_handle = $1 AND recorded_at >= $2 AND presentation_nonce IS NOT NULL AND " + Chained);
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
            $"SELECT {Columns} FROM access_history WHERE citizen_handle = $1 AND event_id = $2 AND recorded_at = $3 AND kind = 'verification' AND " + Chained);
        command.Parameters.Add(new NpgsqlParameter { Value = citizenHandle });
        command.Parameters.Add(new NpgsqlParameter { Value = verificationId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = UuidV7.Timestamp(verificationId).UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return (await ReadRecords(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<string>> RelyingPartiesThatVerifiedAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT DISTINCT relying_party_id FROM access_history " +
            "WHERE citizen_handle = $1 AND recorded_at >= $2 AND kind = 'verification' AND verified AND " + Chained);
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
                $"SELECT * FROM (SELECT {Columns} FROM access_history WHERE citizen_handle = $1 AND kind <> 'verification' AND {Chained} " +
                "ORDER BY event_id DESC LIMIT $2) newest ORDER BY event_id");
            latest.Parameters.Add(new NpgsqlParameter { Value = citizenHandle });
            latest.Parameters.Add(new NpgsqlParameter { Value = limit });
            return await ReadRecords(latest, cancellationToken);
        }

        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM access_history WHERE citizen_handle = $1 AND kind <> 'verification' AND {Chained} " +
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

            await WriteOrSplit(batch);
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
            $"SELECT {Columns} FROM access_history WHERE {column} = $1 AND {Chained} {filter}" +
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

    /// <summary>
    /// Writes a batch; when PostgreSQL refuses it for good (a record it cannot store), halves it until the refused
    /// record is alone, so one bad record costs only its own caller an answer, never the others in its batch.
    /// </summary>
    private async Task WriteOrSplit(List<Pending> batch)
    {
        var failure = await WriteBatch(batch, contested: false);
        if (failure is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A nonce of this batch was already consumed elsewhere (rare: two activations of one citizen): again,
            // asking the fence which ones, so those are written and answered "replayed".
            failure = await WriteBatch(batch, contested: true);
        }

        if (failure is null)
        {
            return;
        }

        var permanent = failure is PostgresException pg && IsPermanent(pg);
        if (permanent && batch.Count > 1)
        {
            var half = batch.Count / 2;
            await WriteOrSplit(batch[..half]);
            await WriteOrSplit(batch[half..]);
            return;
        }

        logger.LogError("Writing {Count} history records failed: {Error}", batch.Count, failure is PostgresException state ? state.SqlState : failure.GetType().Name);
        Exception error = permanent
            ? new HistoryRejectedException("The access history refused the record.", failure)
            : new HistoryUnavailableException("The access history could not be written.", failure);
        foreach (var p in batch)
        {
            p.Done.TrySetException(error);
        }
    }

    /// <summary>
    /// One transaction: first the single-use fence of every consumed nonce (deploy/sql/015), then the lines, chained
    /// and copied in one binary COPY. A nonce the fence already holds was consumed by another activation of the same
    /// citizen: that verification is written, and answered, as "replayed" instead. Uncontested (the normal case) the
    /// fence is a binary COPY too, which fails whole on a nonce already there; <paramref name="contested"/> then asks
    /// row by row (INSERT … ON CONFLICT DO NOTHING RETURNING). Returns the failure, or null.
    /// </summary>
    private async Task<Exception?> WriteBatch(List<Pending> batch, bool contested)
    {
        await _chainGate.WaitAsync();
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            var lines = new HistoryRecord[batch.Count];
            var replaced = new bool[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                lines[i] = Normalized(batch[i].Record);
            }

            var fenced = contested ? await FenceAsync(connection, transaction, lines) : await CopyFenceAsync(connection, lines);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].PresentationNonce is not null && fenced is not null && !fenced.Contains(lines[i].EventId))
                {
                    lines[i] = Normalized(Replayed(lines[i]));
                    replaced[i] = true;
                }
            }

            var chain = _chain.Begin(DateTimeOffset.UtcNow);
            await CopyChainedAsync(connection, lines, chain.Link);

            await transaction.CommitAsync();
            chain.Commit();
            metrics.HistoryBatch(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(replaced[i] ? lines[i] : null);
            }

            return null;
        }
#pragma warning disable CA1031 // not swallowed: the caller fails every waiting append with it, or splits a refused batch
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex;
        }
        finally
        {
            _chainGate.Release();
        }
    }

    /// <summary>
    /// Copies normalized lines into the history in one binary COPY, each linked into a chain by <paramref name="link"/>
    /// in order (the group-commit writer's chain, or a bulk import's own).
    /// </summary>
    public static async Task CopyChainedAsync(NpgsqlConnection connection, IReadOnlyList<HistoryRecord> lines, Func<HistoryRecord, (Guid ChainId, long Sequence, byte[] Hash)> link)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY access_history ({Columns}, {ChainColumns}, {RegistrationColumn}) FROM STDIN (FORMAT BINARY)");
        foreach (var r in lines)
        {
            var (chainId, sequence, hash) = link(r);
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
            await writer.WriteAsync(chainId, NpgsqlDbType.Uuid);
            await writer.WriteAsync(sequence, NpgsqlDbType.Bigint);
            await writer.WriteAsync(hash, NpgsqlDbType.Bytea);
            await Nullable(writer, r.SealedRegistration, NpgsqlDbType.Bytea);
        }

        await writer.CompleteAsync();
    }

    /// <summary>The fast fence: every consumed nonce in one binary COPY, failing whole (unique violation) if one is not new.</summary>
    private static async Task<HashSet<Guid>?> CopyFenceAsync(NpgsqlConnection connection, HistoryRecord[] lines)
    {
        if (!lines.Any(r => r.PresentationNonce is not null))
        {
            return null;
        }

        await using var writer = await connection.BeginBinaryImportAsync("COPY presentation_nonce (issued_at, citizen_handle, nonce, event_id) FROM STDIN (FORMAT BINARY)");
        foreach (var r in lines)
        {
            if (r.PresentationNonce is { } nonce)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync((r.PresentationIssuedAt ?? r.RecordedAt).UtcDateTime, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(r.CitizenHandle, NpgsqlDbType.Text);
                await writer.WriteAsync(nonce, NpgsqlDbType.Bytea);
                await writer.WriteAsync(r.EventId, NpgsqlDbType.Uuid);
            }
        }

        await writer.CompleteAsync();
        return null; // all new
    }

    /// <summary>Inserts the consumed nonces into the fence; returns the event ids whose nonce was new.</summary>
    private static async Task<HashSet<Guid>> FenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, HistoryRecord[] lines)
    {
        var fenced = new HashSet<Guid>();
        var count = 0;
        foreach (var r in lines)
        {
            count += r.PresentationNonce is null ? 0 : 1;
        }

        if (count == 0)
        {
            return fenced;
        }

        var issued = new DateTime[count];
        var handles = new string[count];
        var nonces = new byte[count][];
        var ids = new Guid[count];
        var n = 0;
        foreach (var r in lines)
        {
            if (r.PresentationNonce is { } nonce)
            {
                // A record without the QR's issue time (an older caller) is fenced at its own time: still unique per use.
                issued[n] = (r.PresentationIssuedAt ?? r.RecordedAt).UtcDateTime;
                (handles[n], nonces[n], ids[n]) = (r.CitizenHandle, nonce, r.EventId);
                n++;
            }
        }

        await using var command = new NpgsqlCommand(
            "INSERT INTO presentation_nonce (issued_at, citizen_handle, nonce, event_id) " +
            "SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::bytea[], $4::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id",
            connection,
            transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = issued, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = handles, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = nonces, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            fenced.Add(reader.GetGuid(0));
        }

        return fenced;
    }

    /// <summary>
    /// What a verification whose nonce another activation had consumed becomes: a "replayed" rejection under a new id,
    /// disclosing nothing, consuming nothing, registering nothing.
    /// </summary>
    public static HistoryRecord Replayed(HistoryRecord consumed)
    {
        var now = DateTimeOffset.UtcNow;
        return consumed with
        {
            EventId = Guid.CreateVersion7(now),
            RecordedAt = now,
            PresentationNonce = null,
            PresentationIssuedAt = null,
            Verified = false,
            Reason = Errors.RejectionReason.Replayed,
            Assurance = 0,
            DisclosedAttributes = [],
            SealedRegistration = null,
        };
    }

    /// <summary>Times in whole microseconds, as PostgreSQL keeps them: what is hashed is exactly what is stored.</summary>
    public static HistoryRecord Normalized(HistoryRecord r) => r with { RecordedAt = AuditChain.FromMicros(AuditChain.Micros(r.RecordedAt)) };

    public static AuditLine Line(HistoryRecord r) => new(
        r.EventId, AuditChain.Micros(r.RecordedAt), r.CitizenHandle, r.Kind, r.CredentialId, r.PresentationNonce, r.RelyingPartyId, r.Scope,
        r.Verified, r.Reason, r.Assurance, r.DisclosedAttributes, r.RelyingPartyProvince, r.CrossProvince, r.Channel, r.Note, r.SealedRegistration);

    private static Task Nullable<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type) =>
        value is null ? writer.WriteNullAsync() : writer.WriteAsync(value, type);

    private sealed record Pending(HistoryRecord Record, TaskCompletionSource<HistoryRecord?> Done);
}
