namespace NationalId.Client.Load;

/// <summary>One verification to send: which RP (its API key), for which scope, which QR, and whether the RP is in
/// another province than the citizen's home.</summary>
public sealed record PlannedRequest(string ApiKey, string Scope, string Presentation, bool CrossProvince);
