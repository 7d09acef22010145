namespace NationalId.RelyingParties;

/// <summary>What the Ministry registers about a relying party. The API key itself is never stored, only its hash.</summary>
[GenerateSerializer, Immutable, Alias("nid.RelyingPartyRegistration")]
public sealed record RelyingPartyRegistration(
    [property: Id(0)] string LegalName,
    [property: Id(1)] Sector Sector,
    [property: Id(2)] string Province,
    [property: Id(3)] string[] Scopes,
    [property: Id(4)] byte[] ApiKeyHash,
    [property: Id(5)] int RateLimitPerSecond = 0,
    [property: Id(6)] long DailyQuota = 0,
    [property: Id(7)] bool RequireSignedRequests = false);
