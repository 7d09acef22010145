namespace NationalId.Api;

/// <summary>A counter verification: the ID number read from the physical card and the person's live face.</summary>
public sealed record InPersonVerificationRequest(string? Scope, string? IdNumber, FaceInput? Face, MatchInput? Match);
