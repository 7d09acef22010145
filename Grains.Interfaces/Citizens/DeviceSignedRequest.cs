namespace NationalId.Citizens;

/// <summary>A request signed by one of the citizen's bound device keys; the grain checks the signature.</summary>
[GenerateSerializer, Immutable, Alias("nid.DeviceSignedRequest")]
public sealed record DeviceSignedRequest(
    [property: Id(0)] byte[] CredentialId,
    [property: Id(1)] long TimestampMs,
    [property: Id(2)] byte[] SignedBytes,
    [property: Id(3)] byte[] Signature);
