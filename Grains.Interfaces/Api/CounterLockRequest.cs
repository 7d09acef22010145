namespace NationalId.Api;

/// <summary>Operator: lock or unlock a citizen's identity ("counter" with a live face; "hotline" may only lock).</summary>
public sealed record CounterLockRequest(string? IdNumber, string? Reason, FaceInput? Face, string? Channel);
