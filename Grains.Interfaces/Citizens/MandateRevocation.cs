namespace NationalId.Citizens;

/// <summary>Ends a mandate: by the principal's phone (signed) or at a counter (the principal's face).</summary>
[GenerateSerializer, Immutable, Alias("nid.MandateRevocation")]
public sealed record MandateRevocation(
    [property: Id(0)] string MandateId,
    [property: Id(1)] string Reason,
    [property: Id(2)] ActionChannel Channel,
    [property: Id(3)] DeviceSignedRequest? Device,
    [property: Id(4)] FaceSample? Face,
    [property: Id(5)] string? GuardianHandle = null);
