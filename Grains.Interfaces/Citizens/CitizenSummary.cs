namespace NationalId.Citizens;

/// <summary>A citizen's record as a counter officer sees it: status and phones, no personal attributes.</summary>
[GenerateSerializer, Immutable, Alias("nid.CitizenSummary")]
public sealed record CitizenSummary(
    [property: Id(0)] bool Enrolled,
    [property: Id(1)] string? HomeProvince,
    [property: Id(2)] IReadOnlyList<CredentialSummary> Credentials,
    [property: Id(3)] bool Locked);
