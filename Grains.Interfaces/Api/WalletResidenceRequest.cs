namespace NationalId.Api;

/// <summary>Registers where the phone's owner lives: a province code such as "44". Signed by the phone.</summary>
public sealed record WalletResidenceRequest(string? Province);
