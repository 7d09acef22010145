namespace NationalId.Api;

/// <summary>RP: verify a scanned QR for a scope, with a live face when the terminal captured one.</summary>
/// <summary>
/// A QR (phone or printed card) to verify. <c>onBehalfOf</c>: the principal's ID number when the person showing their
/// own phone's QR acts under the principal's mandate.
/// </summary>
public sealed record VerificationRequest(string? Scope, string? Presentation, FaceInput? Face, MatchInput? Match, string? OnBehalfOf = null);
