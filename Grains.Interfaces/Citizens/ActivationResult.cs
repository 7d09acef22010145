namespace NationalId.Citizens;

/// <summary>A bound credential, or why binding was refused.</summary>
[GenerateSerializer, Immutable, Alias("nid.ActivationResult")]
public sealed record ActivationResult(
    [property: Id(0)] string? Error,
    [property: Id(1)] byte[]? CredentialId,
    [property: Id(2)] Assurance Assurance,
    [property: Id(3)] DateTimeOffset BoundAt);
