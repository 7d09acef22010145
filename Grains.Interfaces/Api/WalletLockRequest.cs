namespace NationalId.Api;

/// <summary>Wallet: lock my identity (no face needed) or unlock it (live face needed).</summary>
public sealed record WalletLockRequest(string? Reason, FaceInput? Face);
