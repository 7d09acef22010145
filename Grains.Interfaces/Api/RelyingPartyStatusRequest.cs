namespace NationalId.Api;

public sealed record RelyingPartyStatusRequest(string? Reason);
