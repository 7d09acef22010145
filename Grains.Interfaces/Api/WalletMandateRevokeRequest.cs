namespace NationalId.Api;

public sealed record WalletMandateRevokeRequest(string? MandateId, string? Reason);
