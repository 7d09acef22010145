using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalId.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace NationalId.Verification;

/// <summary>
/// The verification history in PostgreSQL with group commit: callers queue records and wait; one writer takes
/// everything waiting and writes it in a single binary COPY (one round trip, one transaction), then releases all of
/// them. Under load a batch grows by itself, so durability costs far less than one round trip per verification.
/// </summary>
public sealed class PostgresVerificationJournal(
    NpgsqlDataSource dataSource,
    NationalIdMetrics metrics,
    ILogger<PostgresVerificationJournal> logger) : BackgroundService, IVerificationJournal
{
    private const int MaxBatch = 2000;

    private const string CopyCommand =
        "COPY verification_history (verification_id, recorded_at, citizen_handle, credential_id, presentation_nonce, " +
        "relying_party_id, scope, verified, reason, assurance, disclosed_attributes, rp_province, cross_province) " +
        "FROM STDIN (FORMAT BINARY)";

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public Task AppendAsync(VerificationRecord record, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(record, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new JournalUnavailableException("The verification journal is stopped.");
        }

        return pending.Done.Task;
    }

    public async Task<IReadOnlyList<byte[]>> RecentNoncesAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT presentation_nonce FROM verification_history " +
            "WHERE citizen_handle = $1 AND recorded_at >= $2 AND presentation_nonce IS NOT NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = citizenHandle });
        command.Parameters.Add(new NpgsqlParameter { Value = since.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        var nonces = new List<byte[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            nonces.Add((byte[])reader[0]);
        }

        return nonces;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        var reader = _queue.Reader;
        try
        {
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
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Drain: everything already queued is written (or failed) before the process goes away.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteBatch(List<Pending> batch)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using (var writer = await connection.BeginBinaryImportAsync(CopyCommand))
            {
                foreach (var p in batch)
                {
                    var r = p.Record;
                    await writer.StartRowAsync();
                    await writer.WriteAsync(r.VerificationId, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(r.RecordedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(r.CitizenHandle, NpgsqlDbType.Text);
                    await WriteNullable(writer, r.CredentialId, NpgsqlDbType.Bytea);
                    await WriteNullable(writer, r.PresentationNonce, NpgsqlDbType.Bytea);
                    await writer.WriteAsync(r.RelyingPartyId, NpgsqlDbType.Text);
                    await writer.WriteAsync(r.Scope, NpgsqlDbType.Text);
                    await writer.WriteAsync(r.Verified, NpgsqlDbType.Boolean);
                    await WriteNullable(writer, r.Reason, NpgsqlDbType.Text);
                    await writer.WriteAsync(r.Assurance, NpgsqlDbType.Smallint);
                    await writer.WriteAsync(r.DisclosedAttributes, NpgsqlDbType.Array | NpgsqlDbType.Text);
                    await writer.WriteAsync(r.RelyingPartyProvince, NpgsqlDbType.Text);
                    await writer.WriteAsync(r.CrossProvince, NpgsqlDbType.Boolean);
                }

                await writer.CompleteAsync();
            }

            metrics.JournalBatch(batch.Count);
            foreach (var p in batch)
            {
                p.Done.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Writing {Count} verification records failed", batch.Count);
            foreach (var p in batch)
            {
                p.Done.TrySetException(new JournalUnavailableException("The verification history could not be written.", ex));
            }
        }
    }

    private static Task WriteNullable<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type)
        where T : class =>
        value is null ? writer.WriteNullAsync() : writer.WriteAsync(value, type);

    private sealed record Pending(VerificationRecord Record, TaskCompletionSource Done);
}
