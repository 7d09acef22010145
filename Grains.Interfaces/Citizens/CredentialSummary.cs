namespace NationalId.Citizens;

/// <summary>What an operator or the citizen sees of one bound phone (never its key material).</summary>
[GenerateSerializer, Immutable, Alias("nid.CredentialSummary")]
public sealed record CredentialSummary(
    [property: Id(0)] byte[] CredentialId,
    [property: Id(1)] CredentialStatus Status,
    [property: Id(2)] Assurance Assurance,
    [property: Id(3)] DateTimeOffset BoundAt,
    [property: Id(4)] string? DeviceLabel,
    [property: Id(5)] DateTimeOffset? StatusChangedAt,
    [property: Id(6)] string? StatusReason,
    [property: Id(7)] DateTimeOffset? ProvisionalUntil = null);
