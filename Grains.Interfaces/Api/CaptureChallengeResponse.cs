namespace NationalId.Api;

public sealed record CaptureChallengeResponse(string Challenge, DateTimeOffset ExpiresAt);
