namespace NationalId.Api;

/// <summary>
/// The capture SDK's attestation of a remote face (docs/reference/protocol.md §4.1): vendor id, capture time (Unix ms), the
/// service's challenge and the vendor's signature, both base64url. Read on phone activation only.
/// </summary>
public sealed record CaptureInput(string? Vendor, long? CapturedAtMs, string? Challenge, string? Signature);
