namespace NationalId.Citizens;

/// <summary>Revokes the citizen's printed card: at a counter (live face) or by the hotline (protective, no face).</summary>
[GenerateSerializer, Immutable, Alias("nid.CardRevocation")]
public sealed record CardRevocation(
    [property: Id(0)] ActionChannel Channel,
    [property: Id(1)] string Reason,
    [property: Id(2)] FaceSample? Face);
