namespace NationalId.Api;

public sealed record ActivationCodeResponse(string Code, DateTimeOffset ExpiresAt);
