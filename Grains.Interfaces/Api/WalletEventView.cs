namespace NationalId.Api;

/// <summary>One event about the citizen's own credentials or identity, as their phones receive it.</summary>
public sealed record WalletEventView(Guid EventId, string Kind, DateTimeOffset At, string? CredentialId, string? Channel, string? Note);
