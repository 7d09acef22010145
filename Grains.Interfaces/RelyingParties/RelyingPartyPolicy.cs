namespace NationalId.RelyingParties;

/// <summary>An RP's authorization as every silo caches it: who it is, whether it may verify, and for which scopes.</summary>
[GenerateSerializer, Immutable, Alias("nid.RelyingPartyPolicy")]
public sealed record RelyingPartyPolicy(
    [property: Id(0)] string RelyingPartyId,
    [property: Id(1)] string LegalName,
    [property: Id(2)] Sector Sector,
    [property: Id(3)] string Province,
    [property: Id(4)] RelyingPartyStatus Status,
    [property: Id(5)] ScopePolicy[] Scopes,
    [property: Id(6)] byte[][] ApiKeyHashes,
    [property: Id(7)] long Version,
    [property: Id(8)] int RateLimitPerSecond = 0,
    [property: Id(9)] long DailyQuota = 0,
    [property: Id(10)] bool RequireSignedRequests = false);
