using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NationalId.Citizens;
using NationalId.Citizens.Rules;
using NationalId.History;
using NationalId.Security;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;

namespace NationalId.Storage;

/// <summary>What became of the lines of one import batch, by line number.</summary>
public sealed record ImportOutcome(IReadOnlyList<long> Imported, IReadOnlyList<long> AlreadyEnrolled, IReadOnlyList<long> Unavailable);

/// <summary>
/// Bulk enrollment from the population register, straight into each citizen's shard: per shard, one transaction that
/// copies the sealed grain states (binary COPY into a temporary table), inserts those of citizens not enrolled yet and
/// writes an <c>enrolled</c> history line for exactly the citizens it inserted, linked into the import's own audit
/// chain. All of a shard's part of a batch or none: a crash at any moment leaves either nothing or every line of it,
/// and sending the batch again enrolls nobody twice (an enrolled citizen's row is never touched). A row of a
/// never-enrolled citizen (state written by requests about an unknown handle) is replaced.
/// The state is the very JSON the grain storage writes (<see cref="GrainStateJsonSerializer"/>: personal data sealed
/// under a fresh data key wrapped by the current master key); the grain reads it on its next activation.
/// </summary>
public sealed class CitizenImporter(
    ShardDataSources sources,
    CitizenHandles handles,
    CitizenDataProtector protector,
    IOptions<ClusterOptions> cluster,
    TimeProvider clock,
    ILogger<CitizenImporter> logger)
{
    /// <summary>The channel of an <c>enrolled</c> line written by the import.</summary>
    public const string Channel = "register";

    private readonly ShardChain[] _chains = sources.Map.Shards.Select(_ => new ShardChain()).ToArray();

    public async Task<ImportOutcome> ImportAsync(IReadOnlyList<RegisterCitizen> citizens, CancellationToken cancellationToken = default)
    {
        var byShard = citizens.Select(c => (Citizen: c, Handle: handles.For(c.IdNumber)))
            .GroupBy(c => sources.Map.ShardOf(c.Handle));
        var results = await Task.WhenAll(byShard.Select(async group =>
        {
            try
            {
                return (Group: group, Imported: await WriteAsync(group.Key, group.ToList(), cancellationToken), Failed: false);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Import into shard {Shard} failed, its lines are to be sent again: {Error} {SqlState}",
                    group.Key.Name, ex.GetType().Name, (ex as PostgresException)?.SqlState);
                return (Group: group, Imported: (HashSet<string>?)null, Failed: true);
            }
        }));

        var imported = new List<long>();
        var already = new List<long>();
        var unavailable = new List<long>();
        foreach (var (group, done, failed) in results)
        {
            foreach (var (citizen, handle) in group)
            {
                (failed ? unavailable : done!.Contains(handle) ? imported : already).Add(citizen.Line);
            }
        }

        return new ImportOutcome(imported, already, unavailable);
    }

    private async Task<HashSet<string>> WriteAsync(StorageShard shard, List<(RegisterCitizen Citizen, string Handle)> rows, CancellationToken cancellationToken)
    {
        var serializer = new GrainStateJsonSerializer(protector);
        var now = clock.GetUtcNow();
        var payloads = rows.Select(r => serializer.Serialize(CitizenState.Enroll(
            r.Handle, r.Citizen.IdNumber, new CitizenEnrollment(r.Citizen.IdNumber.Value, r.Citizen.Name, r.Citizen.Face, r.Citizen.ResidenceProvince),
            RandomNumberGenerator.GetBytes(32), now)).ToArray()).ToArray();

        var chain = _chains[shard.Index];
        await chain.Gate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await sources[shard].OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var temp = new NpgsqlCommand(
                "CREATE TEMP TABLE import_citizen (grain_id_hash integer NOT NULL, grain_key_ext text NOT NULL, payload bytea NOT NULL) ON COMMIT DROP",
                connection, transaction))
            {
                await temp.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var copy = await connection.BeginBinaryImportAsync("COPY import_citizen (grain_id_hash, grain_key_ext, payload) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(CitizenStorageKeys.GrainIdHash(rows[i].Handle), NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(rows[i].Handle, NpgsqlDbType.Text, cancellationToken);
                    await copy.WriteAsync(payloads[i], NpgsqlDbType.Bytea, cancellationToken);
                }

                await copy.CompleteAsync(cancellationToken);
            }

            var inserted = new HashSet<string>(StringComparer.Ordinal);
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO orleans_grain_state (service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0, grain_id_n1, grain_key_ext, payload, version) " +
                "SELECT $1, $2, $3, grain_id_hash, 0, 0, grain_key_ext, payload, 1 FROM import_citizen " +
                "ON CONFLICT (grain_id_hash, grain_type_hash, service_id, grain_id_n0, grain_id_n1, grain_type, grain_key_ext) DO UPDATE " +
                "SET payload = EXCLUDED.payload, modified_at = now(), " +
                "    version = CASE WHEN orleans_grain_state.version >= 2147483647 THEN 1 ELSE orleans_grain_state.version + 1 END " +
                "WHERE orleans_try_jsonb(orleans_grain_state.payload) ->> 'Enrolled' IS DISTINCT FROM 'true' " +
                "RETURNING grain_key_ext", connection, transaction))
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = cluster.Value.ServiceId });
                insert.Parameters.Add(new NpgsqlParameter { Value = CitizenStorageKeys.GrainTypeHash });
                insert.Parameters.Add(new NpgsqlParameter { Value = CitizenStorageKeys.StateName });
                await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    inserted.Add(reader.GetString(0));
                }
            }

            // The enrolled lines of exactly the citizens inserted, in the import's own chain.
            var lines = rows.Where(r => inserted.Contains(r.Handle))
                .Select(r => PostgresAccessHistory.Normalized(new HistoryRecord(Guid.CreateVersion7(now), now, r.Handle, HistoryKind.Enrolled, Channel: Channel)))
                .ToList();
            var links = chain.Begin(now);
            await PostgresAccessHistory.CopyChainedAsync(connection, lines, links.Link);
            await transaction.CommitAsync(cancellationToken);
            links.Commit();
            return inserted;
        }
        finally
        {
            chain.Gate.Release();
        }
    }

    /// <summary>The import's own writer on one shard: its chain (one per process, shard and UTC day) and its gate.</summary>
    private sealed class ShardChain
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        private readonly HistoryChain _chain = new();

        public HistoryChain.Links Begin(DateTimeOffset now) => _chain.Begin(now);
    }
}
