namespace NationalId.Api;

public sealed record MandateResponse(string MandateId, string Kind, string[] Scopes, DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, string Status, DateTimeOffset GrantedAt);
