namespace NationalId.Api;

/// <summary>
/// Wallet: suspend, resume or revoke one of my credentials (this phone's or another one's), signed by one of my
/// phones. Resume needs a live face; a suspended phone may sign the resume of itself.
/// </summary>
public sealed record WalletCredentialRequest(string? CredentialId, string? Reason, FaceInput? Face);
