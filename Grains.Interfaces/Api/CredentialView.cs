namespace NationalId.Api;

public sealed record CredentialView(
    string CredentialId,
    string Status,
    string Assurance,
    DateTimeOffset BoundAt,
    string? DeviceLabel,
    DateTimeOffset? StatusChangedAt,
    string? StatusReason,
    DateTimeOffset? ProvisionalUntil = null);
