using System.Collections.Concurrent;
using NationalId.History;

namespace NationalId.Tests.Support;

/// <summary>For grain unit tests only: keeps records in process memory.</summary>
public sealed class InMemoryAccessHistory : IAccessHistory
{
    private readonly ConcurrentQueue<HistoryRecord> _records = new();
    private readonly ConcurrentDictionary<(string, string), Guid> _fence = new();

    public IReadOnlyCollection<HistoryRecord> Records => _records;

    public Task<HistoryRecord?> AppendAsync(HistoryRecord record, CancellationToken cancellationToken = default)
    {
        if (record.PresentationNonce is { } nonce && !_fence.TryAdd((record.CitizenHandle, Convert.ToHexString(nonce)), record.EventId))
        {
            var replayed = PostgresAccessHistory.Replayed(record);
            _records.Enqueue(replayed);
            return Task.FromResult<HistoryRecord?>(replayed);
        }

        _records.Enqueue(record);
        return Task.FromResult<HistoryRecord?>(null);
    }

    public Task AppendEventsAsync(IReadOnlyList<HistoryRecord> records, CancellationToken cancellationToken = default)
    {
        foreach (var record in records)
        {
            if (!_records.Any(r => r.EventId == record.EventId))
            {
                _records.Enqueue(record);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<(byte[] Nonce, Guid VerificationId)>> RecentNoncesAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<(byte[], Guid)>>(_records
            .Where(r => r.CitizenHandle == citizenHandle && r.RecordedAt >= since && r.PresentationNonce is not null)
            .Select(r => (r.PresentationNonce!, r.EventId))
            .ToList());

    public Task<HistoryRecord?> FindVerificationAsync(string citizenHandle, Guid verificationId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.FirstOrDefault(r => r.CitizenHandle == citizenHandle && r.EventId == verificationId && r.Kind == HistoryKind.Verification));

    public Task<IReadOnlyList<string>> RelyingPartiesThatVerifiedAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(_records
            .Where(r => r.CitizenHandle == citizenHandle && r.Kind == HistoryKind.Verification && r.Verified == true && r.RecordedAt >= since)
            .Select(r => r.RelyingPartyId!)
            .Distinct(StringComparer.Ordinal)
            .ToList());

    public Task<IReadOnlyList<HistoryRecord>> ReadCitizenAsync(string citizenHandle, Guid? before, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<HistoryRecord>>(Page(_records.Where(r => r.CitizenHandle == citizenHandle), before, limit));

    public Task<IReadOnlyList<HistoryRecord>> ReadCitizenEventsAsync(string citizenHandle, Guid? after, int limit, CancellationToken cancellationToken = default)
    {
        var events = _records.Where(r => r.CitizenHandle == citizenHandle && r.Kind != HistoryKind.Verification).OrderBy(r => r.EventId).ToList();
        return Task.FromResult<IReadOnlyList<HistoryRecord>>(after is null
            ? events.TakeLast(limit).ToList()
            : events.Where(r => r.EventId.CompareTo(after.Value) > 0).Take(limit).ToList());
    }

    public Task<IReadOnlyList<HistoryRecord>> ReadRelyingPartyAsync(string relyingPartyId, Guid? before, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<HistoryRecord>>(Page(_records.Where(r => r.RelyingPartyId == relyingPartyId && r.Channel != "mandate"), before, limit));

    private static List<HistoryRecord> Page(IEnumerable<HistoryRecord> records, Guid? before, int limit) =>
        records
            .Where(r => before is null || r.EventId.CompareTo(before.Value) < 0)
            .OrderByDescending(r => r.EventId)
            .Take(limit)
            .ToList();
}
