namespace NationalId.Api;

public sealed record CaptureVendorResponse(
    string VendorId, string Name, string PublicKey, DateTimeOffset RegisteredAt, DateTimeOffset? RevokedAt, string? RevokedReason, string Source);
