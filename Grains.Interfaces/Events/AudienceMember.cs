namespace NationalId.Events;

/// <summary>An RP that must hear of a citizen's event, and the only name it knows the citizen by.</summary>
[GenerateSerializer, Immutable, Alias("nid.AudienceMember")]
public sealed record AudienceMember([property: Id(0)] string RelyingPartyId, [property: Id(1)] string Pseudonym);
