namespace NationalId.Verification;

/// <summary>
/// One line of the append-only verification history: who asked, for what, the outcome, and the names (never the
/// values) of the disclosed attributes. The presentation nonce is kept so single use survives grain reactivation.
/// </summary>
public sealed record VerificationRecord(
    Guid VerificationId,
    DateTimeOffset RecordedAt,
    string CitizenHandle,
    byte[]? CredentialId,
    byte[]? PresentationNonce,
    string RelyingPartyId,
    string Scope,
    bool Verified,
    string? Reason,
    short Assurance,
    string[] DisclosedAttributes,
    string RelyingPartyProvince,
    bool CrossProvince);
