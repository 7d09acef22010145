namespace NationalId.Verification;

/// <summary>The citizen grain's answer: the RP's result plus what only metrics may know (never returned to the RP).</summary>
[GenerateSerializer, Immutable, Alias("nid.CitizenVerificationOutcome")]
public sealed record CitizenVerificationOutcome(
    [property: Id(0)] VerificationResult Result,
    [property: Id(1)] bool CrossProvince);
