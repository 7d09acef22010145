namespace NationalId.Events;

/// <summary>One event in an RP's feed: its sequence number is the SSE event id (Last-Event-ID resumes after it).</summary>
public sealed record RelyingPartyFeedEntry(long Sequence, Guid EventId, string Kind, string Pseudonym, DateTimeOffset At);
