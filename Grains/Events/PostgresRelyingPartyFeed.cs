using Npgsql;
using NpgsqlTypes;

namespace NationalId.Events;

/// <summary>RP feeds in PostgreSQL (deploy/sql/011_rp_event_feed.sql).</summary>
public sealed class PostgresRelyingPartyFeed(NpgsqlDataSource dataSource) : IRelyingPartyFeed
{
    public async Task AppendAsync(string relyingPartyId, CitizenEvent citizenEvent, string pseudonym, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT nid_rp_feed_append($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter { Value = relyingPartyId });
        command.Parameters.Add(new NpgsqlParameter { Value = citizenEvent.EventId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = citizenEvent.Kind });
        command.Parameters.Add(new NpgsqlParameter { Value = pseudonym });
        command.Parameters.Add(new NpgsqlParameter { Value = citizenEvent.At.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RelyingPartyFeedEntry>> ReadAsync(string relyingPartyId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT seq, event_id, kind, pseudonym, occurred_at FROM rp_event_feed " +
            "WHERE relying_party_id = $1 AND seq > $2 ORDER BY seq LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = relyingPartyId });
        command.Parameters.Add(new NpgsqlParameter { Value = afterSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var entries = new List<RelyingPartyFeedEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new RelyingPartyFeedEntry(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return entries;
    }
}
