namespace NationalId.Api;

/// <summary>A mandate granted from the principal's phone: to whom (ID number), for which scopes, from when until when.</summary>
/// <summary>A mandate granted from the principal's phone, with the principal's live face (a stolen phone alone grants nothing).</summary>
public sealed record WalletMandateRequest(string? DelegateIdNumber, string[]? Scopes, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, FaceInput? Face = null);
