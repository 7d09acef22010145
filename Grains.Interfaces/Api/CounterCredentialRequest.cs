namespace NationalId.Api;

/// <summary>
/// Operator: suspend, resume or revoke a credential. Channel "counter" (the default) needs the citizen's live face;
/// "hotline" may only suspend. A reason is always required.
/// </summary>
public sealed record CounterCredentialRequest(string? IdNumber, string? CredentialId, string? Reason, FaceInput? Face, string? Channel);
