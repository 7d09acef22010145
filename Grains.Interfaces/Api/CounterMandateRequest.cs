namespace NationalId.Api;

/// <summary>
/// A mandate granted at a counter. <c>kind</c> "mandate" (default): <c>face</c> is the principal's. "guardianship"
/// (a principal under 16): <c>face</c> is the guardian's (the delegate's), and the mandate ends on the 16th birthday.
/// </summary>
public sealed record CounterMandateRequest(
    string? PrincipalIdNumber, string? DelegateIdNumber, string[]? Scopes, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, string? Kind, FaceInput? Face);
