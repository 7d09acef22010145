namespace NationalId.Api;

public sealed record RelyingPartyLogView(IReadOnlyList<RelyingPartyLogEntryView> Entries, string? Next);
