namespace NationalId.History;

/// <summary>
/// One line of the append-only access history: a verification attempt (RP, scope, outcome, names but never values
/// of the disclosed attributes), a credential event, or an operator's read. The presentation nonce is kept so
/// single use survives grain reactivation; with the presentation's signed issue time it is also the key of the durable
/// single-use fence (deploy/sql/015). The issue time itself is not part of the line or its audit chain.
/// </summary>
public sealed record HistoryRecord(
    Guid EventId,
    DateTimeOffset RecordedAt,
    string CitizenHandle,
    string Kind,
    byte[]? CredentialId = null,
    byte[]? PresentationNonce = null,
    string? RelyingPartyId = null,
    string? Scope = null,
    bool? Verified = null,
    string? Reason = null,
    short? Assurance = null,
    string[]? DisclosedAttributes = null,
    string? RelyingPartyProvince = null,
    bool? CrossProvince = null,
    string? Channel = null,
    string? Note = null,
    byte[]? SealedRegistration = null,
    DateTimeOffset? PresentationIssuedAt = null)
{
    /// <summary>The line as its citizen (or an operator with a reason) reads it: no nonce, no sealed registration.</summary>
    public HistoryEntry ToEntry() => new(
        EventId, RecordedAt, Kind, CredentialId, RelyingPartyId, Scope, Verified, Reason, Assurance,
        DisclosedAttributes, RelyingPartyProvince, CrossProvince, Channel, Note);

    public override string ToString() => $"HistoryRecord({Kind}, {EventId})";
}
