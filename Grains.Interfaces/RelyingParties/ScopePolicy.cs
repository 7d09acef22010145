using NationalId.Citizens;

namespace NationalId.RelyingParties;

/// <summary>
/// What a scope lets an RP learn: attributes disclosed, attributes it may ask to match against a value it holds,
/// whether a live face match is required, the minimum assurance, and whether in-person (no phone) use is allowed.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.ScopePolicy")]
public sealed record ScopePolicy(
    [property: Id(0)] string Name,
    [property: Id(1)] string[] Attributes,
    [property: Id(2)] string[] MatchAttributes,
    [property: Id(3)] bool FaceRequired,
    [property: Id(4)] Assurance MinimumAssurance,
    [property: Id(5)] bool InPersonAllowed,
    [property: Id(6)] bool StatutoryRegistration = false);
