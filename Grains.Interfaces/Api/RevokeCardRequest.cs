namespace NationalId.Api;

/// <summary>Revokes a citizen's printed card: at a counter (live face) or by the hotline.</summary>
public sealed record RevokeCardRequest(string? IdNumber, string? Reason, FaceInput? Face, string? Channel);
