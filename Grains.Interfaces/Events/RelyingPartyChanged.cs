namespace NationalId.Events;

/// <summary>An RP's registration or status changed: every silo must drop its cached policy.</summary>
[GenerateSerializer, Immutable, Alias("nid.RelyingPartyChanged")]
public sealed record RelyingPartyChanged([property: Id(0)] string RelyingPartyId, [property: Id(1)] long Version);
