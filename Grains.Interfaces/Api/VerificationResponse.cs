namespace NationalId.Api;

public sealed record VerificationResponse(
    Guid VerificationId,
    bool Verified,
    string? Reason,
    string Assurance,
    string? Pseudonym,
    IReadOnlyDictionary<string, string> Attributes,
    bool? Match,
    DateTimeOffset CheckedAt,
    bool Delegated = false,
    string? DelegatePseudonym = null);
