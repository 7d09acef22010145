namespace NationalId.Api;

public sealed record WalletEventsView(IReadOnlyList<WalletEventView> Events);
