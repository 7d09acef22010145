namespace NationalId.Protocol;

/// <summary>
/// The decrypted content of a presentation QR: which credential, when it was made, a single-use nonce, which citizen
/// grain to ask, and the device signature over all of it (checked by the citizen grain, which holds the public key).
/// </summary>
public sealed record PresentationPayload(
    byte[] CredentialId,
    DateTimeOffset IssuedAt,
    byte[] Nonce,
    string CitizenHandle,
    byte[] SignedBytes,
    byte[] Signature);
