namespace NationalId.Api;

/// <summary>Wallet: the key presentations are encrypted to.</summary>
public sealed record PresentationKeyResponse(uint KeyId, int Suite, string PublicKey);
