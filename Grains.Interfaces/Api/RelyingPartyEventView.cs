namespace NationalId.Api;

/// <summary>One event in an RP's feed: a status change of a citizen it verified, named by the RP's own pseudonym.</summary>
public sealed record RelyingPartyEventView(long Sequence, Guid EventId, string Kind, string Pseudonym, DateTimeOffset At);
