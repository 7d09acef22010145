namespace NationalId.Citizens;

/// <summary>
/// Registers where a citizen lives (a province code): by their own phone (device-signed) or at a counter (live face).
/// Disclosed as <c>residence_province</c> only to scopes that list it.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.ResidenceChange")]
public sealed record ResidenceChange(
    [property: Id(0)] string Province,
    [property: Id(1)] ActionChannel Channel,
    [property: Id(2)] DeviceSignedRequest? Device,
    [property: Id(3)] FaceSample? Face);
