namespace NationalId.Citizens;

/// <summary>
/// A certified capture SDK's word for one face capture (docs/reference/protocol.md §4.1): the vendor, the capture time, the
/// service challenge it was made for and the vendor's signature over the statement built from these, the face's
/// template and liveness, and the public key being bound.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.CaptureAttestation")]
public sealed record CaptureAttestation(
    [property: Id(0)] string VendorId,
    [property: Id(1)] long CapturedAtMs,
    [property: Id(2)] byte[] Challenge,
    [property: Id(3)] byte[] Signature);
