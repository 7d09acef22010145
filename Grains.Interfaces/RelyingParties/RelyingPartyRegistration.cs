namespace NationalId.RelyingParties;

/// <summary>What the Ministry registers about a relying party. The API key itself is never stored, only its hash.</summary>
[GenerateSerializer, Immutable, Alias("nid.RelyingPartyRegistration")]
public sealed record RelyingPartyRegistration(
    [property: Id(0)] string LegalName,
    [property: Id(1)] Sector Sector,
    [property: Id(2)] string Province,
    [property: Id(3)] string[] Scopes,
    [property: Id(4)] byte[] ApiKeyHash);
