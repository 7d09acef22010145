namespace NationalId.Api;

/// <summary>One line of a citizen's access history. Attribute values are never stored, only their names.</summary>
public sealed record HistoryEntryView(
    Guid EventId,
    DateTimeOffset At,
    string Kind,
    string? CredentialId,
    string? RelyingPartyId,
    string? RelyingPartyName,
    string? Scope,
    bool? Verified,
    string? Reason,
    string? Assurance,
    string[]? DisclosedAttributes,
    string? RelyingPartyProvince,
    bool? CrossProvince,
    string? Channel,
    string? Note);
