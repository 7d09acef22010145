namespace NationalId.Api;

/// <summary>The API key appears in this answer only: it is stored hashed.</summary>
public sealed record RegisterRelyingPartyResponse(string RelyingPartyId, string ApiKey, string[] Scopes);
