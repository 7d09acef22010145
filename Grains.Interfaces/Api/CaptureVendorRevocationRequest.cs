namespace NationalId.Api;

public sealed record CaptureVendorRevocationRequest(string? Reason);
