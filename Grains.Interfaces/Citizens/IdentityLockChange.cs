namespace NationalId.Citizens;

/// <summary>"Lock my identity" (every remote verification refused) or unlock it (needs a live face match).</summary>
[GenerateSerializer, Immutable, Alias("nid.IdentityLockChange")]
public sealed record IdentityLockChange(
    [property: Id(0)] bool Locked,
    [property: Id(1)] ActionChannel Channel,
    [property: Id(2)] string Reason,
    [property: Id(3)] DeviceSignedRequest? Device,
    [property: Id(4)] FaceSample? Face);
