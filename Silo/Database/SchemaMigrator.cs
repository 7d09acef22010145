using System.Security.Cryptography;
using NationalId.Storage;
using Npgsql;

namespace NationalId.Silo.Database;

/// <summary>
/// Applies deploy/sql/*.sql in name order, each in its own transaction, holding an advisory lock throughout (several
/// silos may start at once), and records each file with its checksum in schema_migrations. Every script is idempotent, so a
/// changed file is applied again; a new file is the way to add a migration.
/// </summary>
public static class SchemaMigrator
{
    private const long AdvisoryLockKey = 0x4E49_445F_5343_4845; // "NID_SCHE"

    /// <summary>
    /// Migrates the national database and every citizen shard (one schema everywhere; each holds its own rows), then
    /// checks that each still holds what <paramref name="map"/> says (deploy/sql/024_storage_role.sql).
    /// </summary>
    public static async Task ApplyAllAsync(ShardMap map, string nationalConnectionString, string scriptDirectory, ILogger logger, CancellationToken cancellationToken = default)
    {
        var databases = map.Shards.Select(s => s.ConnectionString).Prepend(nationalConnectionString).Distinct(StringComparer.Ordinal);
        foreach (var connectionString in databases)
        {
            await ApplyAsync(connectionString, scriptDirectory, logger, map.RoleOf(connectionString), cancellationToken);
        }
    }

    public static async Task ApplyAsync(string connectionString, string scriptDirectory, ILogger logger, CancellationToken cancellationToken = default) =>
        await ApplyAsync(connectionString, scriptDirectory, logger, role: null, cancellationToken);

    private static async Task ApplyAsync(string connectionString, string scriptDirectory, ILogger logger, string? role, CancellationToken cancellationToken)
    {
        var scripts = Directory.GetFiles(scriptDirectory, "*.sql").Order(StringComparer.Ordinal).ToList();
        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"No schema scripts found in {scriptDirectory}.");
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        // One migrator at a time across all silos, from the very first statement until the finally below.
        await Execute(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await Execute(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations
                (
                    name       text        NOT NULL PRIMARY KEY,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            foreach (var path in scripts)
            {
                var name = Path.GetFileName(path);
                var sql = await File.ReadAllTextAsync(path, cancellationToken);
                var checksum = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sql)));

                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await using (var check = new NpgsqlCommand("SELECT checksum FROM schema_migrations WHERE name = $1", connection, tx))
                {
                    check.Parameters.Add(new NpgsqlParameter { Value = name });
                    if (await check.ExecuteScalarAsync(cancellationToken) is string applied && applied == checksum)
                    {
                        await tx.CommitAsync(cancellationToken);
                        continue;
                    }
                }

                await Execute(connection, tx, sql, cancellationToken);
                await using (var record = new NpgsqlCommand(
                    "INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2) " +
                    "ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()", connection, tx))
                {
                    record.Parameters.Add(new NpgsqlParameter { Value = name });
                    record.Parameters.Add(new NpgsqlParameter { Value = checksum });
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await tx.CommitAsync(cancellationToken);
                logger.LogInformation("Applied schema script {Script}", name);
            }

            if (role is not null)
            {
                await CheckRoleAsync(connection, role, cancellationToken);
            }
        }
        finally
        {
            // Pooled sessions outlive this method: release the lock explicitly.
            await Execute(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>
    /// Records the database's role on first start; refuses to start when a different one was recorded, or when a
    /// database that already holds citizens (today's unsharded one) would take any role but holding them all.
    /// </summary>
    private static async Task CheckRoleAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        await using (var read = new NpgsqlCommand("SELECT role FROM storage_role", connection))
        {
            if (await read.ExecuteScalarAsync(cancellationToken) is string recorded)
            {
                if (recorded != role)
                {
                    throw new InvalidOperationException(
                        $"Database {connection.Database} holds '{recorded}' but this silo is configured for '{role}'. Citizens do not move " +
                        "between shards by a configuration change (docs/decisions/scaling.md); restore the configuration.");
                }

                return;
            }
        }

        var unsharded = $"shard {ShardMap.NationalShard} serves *";
        await using (var citizens = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM orleans_grain_state WHERE grain_type = 'citizen')", connection))
        {
            if (role != unsharded && await citizens.ExecuteScalarAsync(cancellationToken) is true)
            {
                throw new InvalidOperationException(
                    $"Database {connection.Database} already holds citizens but no recorded role; it may only be the unsharded national database ('{unsharded}'), not '{role}'.");
            }
        }

        await using var record = new NpgsqlCommand("INSERT INTO storage_role (role) VALUES ($1) ON CONFLICT DO NOTHING", connection);
        record.Parameters.Add(new NpgsqlParameter { Value = role });
        await record.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
