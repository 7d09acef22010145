namespace NationalId.Citizens;

/// <summary>
/// Grants another citizen (the delegate, by handle) the right to be verified on the principal's behalf for some
/// scopes and a period. By the principal's phone (signed) or at a counter (the principal's face; for a guardianship
/// the guardian's face is matched by the gateway on the guardian's own grain first).
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.MandateGrant")]
public sealed record MandateGrant(
    [property: Id(0)] string DelegateHandle,
    [property: Id(1)] string[] Scopes,
    [property: Id(2)] DateTimeOffset ValidFrom,
    [property: Id(3)] DateTimeOffset? ValidUntil,
    [property: Id(4)] MandateKind Kind,
    [property: Id(5)] ActionChannel Channel,
    [property: Id(6)] DeviceSignedRequest? Device,
    [property: Id(7)] FaceSample? Face);
