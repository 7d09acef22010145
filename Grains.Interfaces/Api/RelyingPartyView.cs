namespace NationalId.Api;

public sealed record RelyingPartyView(string RelyingPartyId, string LegalName, string Sector, string Province, string Status, IReadOnlyList<ScopeView> Scopes);
