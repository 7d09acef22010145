namespace NationalId.Api;

/// <summary>Operator: register a relying party. Sector: hotel, rail, bank, government, telecom, other.</summary>
/// <summary>
/// Registers an RP. Optional: its own rate (verifications per second per silo; default the service's), a daily quota
/// (verifications per UTC day; default none), and whether its requests must be HMAC-signed (docs/decisions/security.md).
/// </summary>
public sealed record RegisterRelyingPartyRequest(
    string? LegalName, string? Sector, string? Province, string[]? Scopes, int? RateLimitPerSecond = null, long? DailyQuota = null, bool? SignedRequests = null);
