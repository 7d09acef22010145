namespace NationalId.RelyingParties;

[GenerateSerializer, Alias("nid.RelyingPartyState")]
public sealed class RelyingPartyState
{
    [Id(0)] public bool Registered { get; set; }

    [Id(1)] public string LegalName { get; set; } = string.Empty;

    [Id(2)] public Sector Sector { get; set; }

    [Id(3)] public string Province { get; set; } = string.Empty;

    [Id(4)] public RelyingPartyStatus Status { get; set; }

    [Id(5)] public List<string> Scopes { get; set; } = [];

    /// <summary>SHA-256 of each valid API key secret (two during a rotation).</summary>
    [Id(6)] public List<byte[]> ApiKeyHashes { get; set; } = [];

    /// <summary>Bumped on every change, so caches can tell old from new.</summary>
    [Id(7)] public long Version { get; set; }

    [Id(8)] public DateTimeOffset RegisteredAt { get; set; }

    [Id(9)] public string? StatusReason { get; set; }

    /// <summary>Verifications per second per silo (token bucket); 0: the service default.</summary>
    [Id(10)] public int RateLimitPerSecond { get; set; }

    /// <summary>Verifications per UTC day across the cluster; 0: none.</summary>
    [Id(11)] public long DailyQuota { get; set; }

    /// <summary>Every request must carry an HMAC signature (docs/decisions/security.md, "Request signing").</summary>
    [Id(12)] public bool RequireSignedRequests { get; set; }
}
