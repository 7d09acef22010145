namespace NationalId.Api;

public sealed record RegisterCaptureVendorRequest(string? VendorId, string? Name, string? PublicKey);
