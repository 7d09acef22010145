namespace NationalId.Api;

public sealed record RelyingPartyEventsView(IReadOnlyList<RelyingPartyEventView> Events);
