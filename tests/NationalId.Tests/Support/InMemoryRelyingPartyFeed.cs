using NationalId.Events;

namespace NationalId.Tests.Support;

/// <summary>For grain unit tests only.</summary>
public sealed class InMemoryRelyingPartyFeed : IRelyingPartyFeed
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<RelyingPartyFeedEntry>> _feeds = [];

    public event Action<string, RelyingPartyFeedEntry>? Appended;

    public Task AppendAsync(string relyingPartyId, CitizenEvent citizenEvent, string pseudonym, CancellationToken cancellationToken = default)
    {
        RelyingPartyFeedEntry? added = null;
        lock (_gate)
        {
            var feed = _feeds.TryGetValue(relyingPartyId, out var f) ? f : _feeds[relyingPartyId] = [];
            if (!feed.Any(e => e.EventId == citizenEvent.EventId))
            {
                added = new RelyingPartyFeedEntry(feed.Count + 1, citizenEvent.EventId, citizenEvent.Kind, pseudonym, citizenEvent.At);
                feed.Add(added);
            }
        }

        if (added is not null)
        {
            Appended?.Invoke(relyingPartyId, added);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<RelyingPartyFeedEntry>> ReadAsync(string relyingPartyId, long afterSequence, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<RelyingPartyFeedEntry>>(
                _feeds.TryGetValue(relyingPartyId, out var feed) ? feed.Where(e => e.Sequence > afterSequence).Take(limit).ToList() : []);
        }
    }
}
