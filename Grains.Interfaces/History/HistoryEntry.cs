namespace NationalId.History;

/// <summary>One line of a citizen's access history as the citizen (or an operator with a reason) reads it.</summary>
[GenerateSerializer, Immutable, Alias("nid.HistoryEntry")]
public sealed record HistoryEntry(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Kind,
    [property: Id(3)] byte[]? CredentialId,
    [property: Id(4)] string? RelyingPartyId,
    [property: Id(5)] string? Scope,
    [property: Id(6)] bool? Verified,
    [property: Id(7)] string? Reason,
    [property: Id(8)] short? Assurance,
    [property: Id(9)] string[]? DisclosedAttributes,
    [property: Id(10)] string? RelyingPartyProvince,
    [property: Id(11)] bool? CrossProvince,
    [property: Id(12)] string? Channel,
    [property: Id(13)] string? Note);
