namespace NationalId.Citizens;

/// <summary>A one-time code handed to a citizen at a counter after an in-person check.</summary>
[GenerateSerializer, Immutable, Alias("nid.ActivationCode")]
public sealed record ActivationCode([property: Id(0)] string? Code, [property: Id(1)] DateTimeOffset ExpiresAt, [property: Id(2)] string? Error);
