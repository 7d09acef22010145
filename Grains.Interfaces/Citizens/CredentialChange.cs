namespace NationalId.Citizens;

/// <summary>Suspend, resume or revoke one credential through a channel, with the proof that channel needs.</summary>
[GenerateSerializer, Immutable, Alias("nid.CredentialChange")]
public sealed record CredentialChange(
    [property: Id(0)] byte[] CredentialId,
    [property: Id(1)] CredentialAction Action,
    [property: Id(2)] ActionChannel Channel,
    [property: Id(3)] string Reason,
    [property: Id(4)] DeviceSignedRequest? Device,
    [property: Id(5)] FaceSample? Face);
