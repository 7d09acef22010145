using NationalId.Citizens;

namespace NationalId.Verification;

/// <summary>A verification request as a terminal makes it, before anything is checked (HTTP body or direct call).</summary>
[GenerateSerializer, Immutable, Alias("nid.VerifyInput")]
public sealed record VerifyInput(
    [property: Id(0)] string? Scope,
    [property: Id(1)] string? Presentation,
    [property: Id(2)] FaceSample? Face,
    [property: Id(3)] MatchRequest? Match,
    [property: Id(4)] string? OnBehalfOf = null);

/// <summary>A counter verification as a terminal makes it: the ID number read from the physical card and a live face.</summary>
[GenerateSerializer, Immutable, Alias("nid.InPersonInput")]
public sealed record InPersonInput(
    [property: Id(0)] string? Scope,
    [property: Id(1)] string? IdNumber,
    [property: Id(2)] FaceSample? Face,
    [property: Id(3)] MatchRequest? Match);
