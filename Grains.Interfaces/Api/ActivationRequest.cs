namespace NationalId.Api;

/// <summary>Wallet: bind this phone's P-256 key (base64url SEC1 uncompressed point); prove identity by face or code.</summary>
public sealed record ActivationRequest(string? IdNumber, string? PublicKey, FaceInput? Face, string? ActivationCode, string? DeviceLabel);
