using Microsoft.Extensions.Hosting;
using NationalId.Storage;

namespace NationalId.History;

/// <summary>
/// The access history over the citizen shards: each citizen's lines, replay fence and statutory seals live in the
/// citizen's shard, written by that shard's own group-committed writer (with its own audit chain). Readers keyed by a
/// citizen touch one shard; an RP's log spans them all and is merged by event id (UUIDv7: time order), so its cursor,
/// the last id returned, is as stable as in one database. A read that cannot reach every shard it needs fails whole:
/// an RP is never shown a log with another shard's lines silently missing.
/// </summary>
public sealed class ShardedAccessHistory(ShardMap map, IReadOnlyList<PostgresAccessHistory> shards) : IAccessHistory, IHostedService
{
    public IReadOnlyList<PostgresAccessHistory> Writers => shards;

    public Task<HistoryRecord?> AppendAsync(HistoryRecord record, CancellationToken cancellationToken = default) =>
        Of(record.CitizenHandle).AppendAsync(record, cancellationToken);

    public async Task AppendEventsAsync(IReadOnlyList<HistoryRecord> records, CancellationToken cancellationToken = default)
    {
        // A citizen's events all go to its shard; a batch naming several citizens (none today) is written per shard.
        foreach (var group in records.GroupBy(r => map.ShardOf(r.CitizenHandle).Index))
        {
            await shards[group.Key].AppendEventsAsync(group.ToList(), cancellationToken);
        }
    }

    public Task<IReadOnlyList<(byte[] Nonce, Guid VerificationId)>> RecentNoncesAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        Of(citizenHandle).RecentNoncesAsync(citizenHandle, since, cancellationToken);

    public Task<HistoryRecord?> FindVerificationAsync(string citizenHandle, Guid verificationId, CancellationToken cancellationToken = default) =>
        Of(citizenHandle).FindVerificationAsync(citizenHandle, verificationId, cancellationToken);

    public Task<IReadOnlyList<string>> RelyingPartiesThatVerifiedAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        Of(citizenHandle).RelyingPartiesThatVerifiedAsync(citizenHandle, since, cancellationToken);

    public Task<IReadOnlyList<HistoryRecord>> ReadCitizenAsync(string citizenHandle, Guid? before, int limit, CancellationToken cancellationToken = default) =>
        Of(citizenHandle).ReadCitizenAsync(citizenHandle, before, limit, cancellationToken);

    public Task<IReadOnlyList<HistoryRecord>> ReadCitizenEventsAsync(string citizenHandle, Guid? after, int limit, CancellationToken cancellationToken = default) =>
        Of(citizenHandle).ReadCitizenEventsAsync(citizenHandle, after, limit, cancellationToken);

    public async Task<IReadOnlyList<HistoryRecord>> ReadRelyingPartyAsync(string relyingPartyId, Guid? before, int limit, CancellationToken cancellationToken = default)
    {
        if (shards.Count == 1)
        {
            return await shards[0].ReadRelyingPartyAsync(relyingPartyId, before, limit, cancellationToken);
        }

        // Each shard's newest `limit` lines older than the cursor hold the merged page's lines: merge, newest first.
        var pages = await Task.WhenAll(shards.Select(s => s.ReadRelyingPartyAsync(relyingPartyId, before, limit, cancellationToken)));
        return Merge(pages, limit);
    }

    /// <summary>Newest first by event id across pages that are each newest first; the first <paramref name="limit"/>.</summary>
    public static IReadOnlyList<HistoryRecord> Merge(IReadOnlyList<IReadOnlyList<HistoryRecord>> pages, int limit) =>
        pages.SelectMany(p => p).OrderByDescending(r => r.EventId).Take(limit).ToList();

    public Task StartAsync(CancellationToken cancellationToken) => Task.WhenAll(shards.Select(s => s.StartAsync(cancellationToken)));

    public Task StopAsync(CancellationToken cancellationToken) => Task.WhenAll(shards.Select(s => s.StopAsync(cancellationToken)));

    private PostgresAccessHistory Of(string citizenHandle) => shards[map.ShardOf(citizenHandle).Index];
}
