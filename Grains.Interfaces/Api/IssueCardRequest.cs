namespace NationalId.Api;

/// <summary>Issues a printed card at a counter (the citizen's live face); any earlier card stops working.</summary>
public sealed record IssueCardRequest(string? IdNumber, FaceInput? Face);
