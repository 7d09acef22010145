// The JSON bodies of the gateway HTTP API (docs/api.md). Shared by the gateway and the Client so both sides agree.
namespace NationalId.Api;

/// <summary>A face template and liveness score as terminals send them.</summary>
public sealed record FaceInput(float[]? Template, double? Liveness);

/// <summary>Operator: enroll a citizen.</summary>
public sealed record EnrollCitizenRequest(string? IdNumber, string? Name, FaceInput? Face, string? ResidenceProvince);

public sealed record EnrollCitizenResponse(string HomeProvince, DateTimeOffset EnrolledAt);

/// <summary>Operator: any request that names a citizen by ID number (in the body, never in a URL).</summary>
public sealed record CitizenRequest(string? IdNumber);

public sealed record ActivationCodeResponse(string Code, DateTimeOffset ExpiresAt);

/// <summary>Operator: revoke a credential at a counter or hotline; a reason is required.</summary>
public sealed record CounterRevocationRequest(string? IdNumber, string? CredentialId, string? Reason);

public sealed record CredentialView(
    string CredentialId,
    string Status,
    string Assurance,
    DateTimeOffset BoundAt,
    string? DeviceLabel,
    DateTimeOffset? StatusChangedAt,
    string? StatusReason);

public sealed record CitizenView(string HomeProvince, IReadOnlyList<CredentialView> Credentials);

/// <summary>Operator: register a relying party. Sector: hotel, rail, bank, government, telecom, other.</summary>
public sealed record RegisterRelyingPartyRequest(string? LegalName, string? Sector, string? Province, string[]? Scopes);

/// <summary>The API key appears in this answer only: it is stored hashed.</summary>
public sealed record RegisterRelyingPartyResponse(string RelyingPartyId, string ApiKey, string[] Scopes);

public sealed record RelyingPartyStatusRequest(string? Reason);

public sealed record ScopeView(string Name, string[] Attributes, string[] MatchAttributes, bool FaceRequired, string MinimumAssurance, bool InPersonAllowed);

public sealed record RelyingPartyView(string RelyingPartyId, string LegalName, string Sector, string Province, string Status, IReadOnlyList<ScopeView> Scopes);

/// <summary>Wallet: the key presentations are encrypted to.</summary>
public sealed record PresentationKeyResponse(uint KeyId, int Suite, string PublicKey);

/// <summary>Wallet: bind this phone's P-256 key (base64url SEC1 uncompressed point); prove identity by face or code.</summary>
public sealed record ActivationRequest(string? IdNumber, string? PublicKey, FaceInput? Face, string? ActivationCode, string? DeviceLabel);

public sealed record ActivationResponse(
    string CredentialId,
    string CitizenHandle,
    string CredentialReference,
    string Assurance,
    DateTimeOffset BoundAt,
    PresentationKeyResponse PresentationKey);

/// <summary>Wallet: revoke one of my credentials (this phone's or another one's), signed by an active phone.</summary>
public sealed record WalletRevocationRequest(string? CredentialId, string? Reason);

public sealed record MatchInput(string? Attribute, string? Value);

/// <summary>RP: verify a scanned QR for a scope, with a live face when the terminal captured one.</summary>
public sealed record VerificationRequest(string? Scope, string? Presentation, FaceInput? Face, MatchInput? Match);

public sealed record VerificationResponse(
    Guid VerificationId,
    bool Verified,
    string? Reason,
    string Assurance,
    string? Pseudonym,
    IReadOnlyDictionary<string, string> Attributes,
    bool? Match,
    DateTimeOffset CheckedAt);
