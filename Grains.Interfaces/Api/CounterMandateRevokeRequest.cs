namespace NationalId.Api;

/// <summary>
/// Ends a mandate at a counter: with the principal's face, or, for a guardianship, the guardian's face and
/// <c>guardianIdNumber</c>.
/// </summary>
public sealed record CounterMandateRevokeRequest(string? PrincipalIdNumber, string? MandateId, string? Reason, FaceInput? Face, string? GuardianIdNumber);
