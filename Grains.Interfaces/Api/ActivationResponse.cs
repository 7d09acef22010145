namespace NationalId.Api;

public sealed record ActivationResponse(
    string CredentialId,
    string CitizenHandle,
    string CredentialReference,
    string Assurance,
    DateTimeOffset BoundAt,
    PresentationKeyResponse PresentationKey);
