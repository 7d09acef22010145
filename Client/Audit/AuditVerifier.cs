using System.Text.Json;
using NationalId.History;
using Npgsql;

namespace NationalId.Client.Audit;

/// <summary>The tip of one writer's chain, as exported for safekeeping outside the database.</summary>
public sealed record ChainHead(Guid ChainId, long Sequence, string Hash);

/// <summary>The first place where the stored history and its chain disagree.</summary>
public sealed record AuditFinding(Guid ChainId, long Sequence, Guid? EventId, string Problem);

/// <summary>
/// What the verifier found. <see cref="Unchained"/> counts lines without complete chain data: the service never writes
/// one (deploy/sql/016 refuses them) and never reads one, so any such line was put there by someone else: tampering.
/// </summary>
public sealed record AuditReport(int Chains, long Lines, long Unchained, IReadOnlyList<ChainHead> Heads, AuditFinding? FirstBroken)
{
    public bool Intact => FirstBroken is null && Unchained == 0;
}

/// <summary>
/// Recomputes the access history's hash chains (deploy/sql/012_audit_chain.sql) straight from PostgreSQL, as an
/// auditor would, and names the first line that was changed, removed or reordered; with heads exported earlier it
/// also sees a cut tail or a chain deleted whole.
/// </summary>
public static class AuditVerifier
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task<AuditReport> VerifyAsync(string connectionString, DateOnly? day = null, IReadOnlyList<ChainHead>? exported = null, CancellationToken cancellationToken = default) =>
        VerifyAsync([connectionString], day, exported, cancellationToken);

    /// <summary>
    /// Every chain of every database given (the citizen shards each hold their writers' chains): one report, the
    /// exported heads checked against the chains of all of them together.
    /// </summary>
    public static async Task<AuditReport> VerifyAsync(IReadOnlyList<string> connectionStrings, DateOnly? day = null, IReadOnlyList<ChainHead>? exported = null, CancellationToken cancellationToken = default)
    {
        var reports = new List<AuditReport>();
        foreach (var connectionString in connectionStrings.Distinct(StringComparer.Ordinal))
        {
            reports.Add(await ScanAsync(connectionString, day, exported, cancellationToken));
        }

        var heads = reports.SelectMany(r => r.Heads).ToList();
        var broken = reports.Select(r => r.FirstBroken).FirstOrDefault(b => b is not null) ?? CutTails(heads, exported, day);
        return new AuditReport(reports.Sum(r => r.Chains), reports.Sum(r => r.Lines), reports.Sum(r => r.Unchained), heads, broken);
    }

    /// <summary>A cut tail or a chain gone whole: an exported head whose chain is now missing or shorter.</summary>
    private static AuditFinding? CutTails(IReadOnlyList<ChainHead> heads, IReadOnlyList<ChainHead>? exported, DateOnly? day)
    {
        foreach (var tip in exported?.Where(h => day is not { } d || DateOnly.FromDateTime(UuidV7Time(h.ChainId).UtcDateTime) == d) ?? [])
        {
            var now = heads.FirstOrDefault(h => h.ChainId == tip.ChainId);
            if (now is null)
            {
                return new AuditFinding(tip.ChainId, 1, null, "the whole chain is gone");
            }

            if (now.Sequence < tip.Sequence)
            {
                return new AuditFinding(tip.ChainId, now.Sequence + 1, null, $"lines {now.Sequence + 1} to {tip.Sequence} were removed from the end");
            }
        }

        return null;
    }

    private static async Task<AuditReport> ScanAsync(string connectionString, DateOnly? day, IReadOnlyList<ChainHead>? exported, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(
            $"SELECT {LineColumns}, chain_id, chain_seq, chain_hash FROM access_history WHERE {Chained} ORDER BY chain_id, chain_seq");
        var heads = new List<ChainHead>();
        var kept = exported?.ToDictionary(h => h.ChainId) ?? [];
        AuditFinding? broken = null;
        long lines = 0;
        Guid chain = Guid.Empty;
        long expected = 0;
        var head = AuditChain.Genesis;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var chainId = reader.GetGuid(17);
                if (day is { } d && DateOnly.FromDateTime(UuidV7Time(chainId).UtcDateTime) != d)
                {
                    continue;
                }

                if (chainId != chain)
                {
                    if (chain != Guid.Empty)
                    {
                        heads.Add(new ChainHead(chain, expected, Convert.ToHexStringLower(head)));
                    }

                    (chain, expected, head) = (chainId, 0, AuditChain.Genesis);
                }

                lines++;
                var sequence = reader.GetInt64(18);
                var line = ReadLine(reader);
                var eventId = line.EventId;
                if (broken is not null)
                {
                    continue;
                }

                if (sequence != expected + 1)
                {
                    broken = new AuditFinding(chainId, expected + 1, eventId,
                        sequence <= expected ? $"line {sequence} appears twice or out of order" : $"line {expected + 1} is missing (the next stored line is {sequence})");
                    continue;
                }

                var computed = AuditChain.Next(head, chainId, sequence, line);
                if (!computed.AsSpan().SequenceEqual((byte[])reader[19]))
                {
                    broken = new AuditFinding(chainId, sequence, eventId, "this line was changed after it was written");
                    continue;
                }

                // A chain that grew since the export must still pass through the exported tip: the chain has no key, so
                // whoever can write the table could recompute it, but not the copy of its head kept elsewhere.
                if (kept.TryGetValue(chainId, out var tip) && tip.Sequence == sequence && tip.Hash != Convert.ToHexStringLower(computed))
                {
                    broken = new AuditFinding(chainId, sequence, eventId, "the chain was rewritten up to here since its head was exported");
                    continue;
                }

                (expected, head) = (sequence, computed);
            }
        }

        if (chain != Guid.Empty)
        {
            heads.Add(new ChainHead(chain, expected, Convert.ToHexStringLower(head)));
        }

        await using var unchained = dataSource.CreateCommand($"SELECT count(*) FROM access_history WHERE NOT ({Chained})");
        return new AuditReport(heads.Count, lines, (long)(await unchained.ExecuteScalarAsync(cancellationToken))!, heads, broken);
    }

    private const string Chained = "chain_id IS NOT NULL AND chain_seq IS NOT NULL AND chain_hash IS NOT NULL";

    /// <summary>The stored fields a chain link covers, in the order <see cref="ReadLine"/> reads them (columns 0 to 16).</summary>
    public const string LineColumns =
        "event_id, recorded_at, citizen_handle, kind, credential_id, presentation_nonce, relying_party_id, scope, verified, reason, " +
        "assurance, disclosed_attributes, rp_province, cross_province, channel, note, sealed_registration";

    /// <summary>One history line as the chain hashed it, from a row selected with <see cref="LineColumns"/> first.</summary>
    public static AuditLine ReadLine(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        AuditChain.Micros(reader.GetFieldValue<DateTimeOffset>(1)),
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
        reader.IsDBNull(15) ? null : reader.GetString(15),
        reader.IsDBNull(16) ? null : (byte[])reader[16]);

    public static void WriteHeads(string path, IReadOnlyList<ChainHead> heads) => File.WriteAllText(path, JsonSerializer.Serialize(heads, Json));

    public static IReadOnlyList<ChainHead> ReadHeads(string path) => JsonSerializer.Deserialize<List<ChainHead>>(File.ReadAllText(path), Json) ?? [];

    private static DateTimeOffset UuidV7Time(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        long ms = 0;
        for (var i = 0; i < 6; i++)
        {
            ms = (ms << 8) | bytes[i];
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}
