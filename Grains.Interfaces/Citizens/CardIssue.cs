namespace NationalId.Citizens;

/// <summary>Issues a printed card at a counter after a live face match; any earlier card stops working.</summary>
[GenerateSerializer, Immutable, Alias("nid.CardIssue")]
public sealed record CardIssue(
    [property: Id(0)] FaceSample Face,
    [property: Id(1)] TimeSpan Validity);
