namespace NationalId.Events;

/// <summary>Durable per-RP event feeds (table rp_event_feed): what RPs with offline caches read.</summary>
public interface IRelyingPartyFeed
{
    /// <summary>Appends the event for one RP unless it is already there (at-least-once upstream); durable on return.</summary>
    Task AppendAsync(string relyingPartyId, CitizenEvent citizenEvent, string pseudonym, CancellationToken cancellationToken = default);

    /// <summary>The RP's events after <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<RelyingPartyFeedEntry>> ReadAsync(string relyingPartyId, long afterSequence, int limit, CancellationToken cancellationToken = default);
}
