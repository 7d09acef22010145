namespace NationalId.Citizens;

/// <summary>
/// A wallet's request to bind its device key: proven either by a live face (remote, substantial) whose capture the
/// capture SDK's vendor attests, or by a counter's one-time code (in person, high). The gateway has already checked
/// the request's signature with this key; the grain checks the attestation itself.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.DeviceActivation")]
public sealed record DeviceActivation(
    [property: Id(0)] byte[] DevicePublicKey,
    [property: Id(1)] FaceSample? Face,
    [property: Id(2)] string? ActivationCode,
    [property: Id(3)] string? DeviceLabel,
    [property: Id(4)] CaptureAttestation? Capture = null);
