// The JSON bodies of the gateway HTTP API (docs/api.md). Shared by the gateway and the Client so both sides agree.
namespace NationalId.Api;

/// <summary>A face template and liveness score as terminals send them.</summary>
public sealed record FaceInput(float[]? Template, double? Liveness, CaptureInput? Capture = null);

/// <summary>
/// The capture SDK's attestation of a remote face (docs/protocol.md §4.1): vendor id, capture time (Unix ms), the
/// service's challenge and the vendor's signature, both base64url. Read on phone activation only.
/// </summary>
public sealed record CaptureInput(string? Vendor, long? CapturedAtMs, string? Challenge, string? Signature);

public sealed record CaptureChallengeResponse(string Challenge, DateTimeOffset ExpiresAt);

public sealed record RegisterCaptureVendorRequest(string? VendorId, string? Name, string? PublicKey);

public sealed record CaptureVendorRevocationRequest(string? Reason);

public sealed record CaptureVendorResponse(
    string VendorId, string Name, string PublicKey, DateTimeOffset RegisteredAt, DateTimeOffset? RevokedAt, string? RevokedReason, string Source);

/// <summary>Operator: enroll a citizen.</summary>
public sealed record EnrollCitizenRequest(string? IdNumber, string? Name, FaceInput? Face, string? ResidenceProvince);

public sealed record EnrollCitizenResponse(string HomeProvince, DateTimeOffset EnrolledAt);

/// <summary>Operator: any request that names a citizen by ID number (in the body, never in a URL).</summary>
public sealed record CitizenRequest(string? IdNumber);

public sealed record ActivationCodeResponse(string Code, DateTimeOffset ExpiresAt);

/// <summary>
/// Operator: suspend, resume or revoke a credential. Channel "counter" (the default) needs the citizen's live face;
/// "hotline" may only suspend. A reason is always required.
/// </summary>
public sealed record CounterCredentialRequest(string? IdNumber, string? CredentialId, string? Reason, FaceInput? Face, string? Channel);

/// <summary>Operator: lock or unlock a citizen's identity ("counter" with a live face; "hotline" may only lock).</summary>
public sealed record CounterLockRequest(string? IdNumber, string? Reason, FaceInput? Face, string? Channel);

/// <summary>Registers a citizen's residence at a counter, after a live face match.</summary>
public sealed record CounterResidenceRequest(string? IdNumber, string? Province, FaceInput? Face);

/// <summary>Operator: read one citizen's history; the stated reason is recorded in that history.</summary>
public sealed record OperatorHistoryRequest(string? IdNumber, string? Reason, string? Before, int? Limit);

/// <summary>One line of a citizen's access history. Attribute values are never stored, only their names.</summary>
public sealed record HistoryEntryView(
    Guid EventId,
    DateTimeOffset At,
    string Kind,
    string? CredentialId,
    string? RelyingPartyId,
    string? RelyingPartyName,
    string? Scope,
    bool? Verified,
    string? Reason,
    string? Assurance,
    string[]? DisclosedAttributes,
    string? RelyingPartyProvince,
    bool? CrossProvince,
    string? Channel,
    string? Note);

/// <summary>A page of history, newest first; pass <c>next</c> as <c>before</c> to get the following page.</summary>
public sealed record HistoryPageView(IReadOnlyList<HistoryEntryView> Entries, string? Next);

/// <summary>One line of an RP's own verification log (no citizen identifier: the RP kept the pseudonyms it got).</summary>
public sealed record RelyingPartyLogEntryView(
    Guid VerificationId,
    DateTimeOffset At,
    string? Scope,
    bool? Verified,
    string? Reason,
    string? Assurance,
    string[]? DisclosedAttributes,
    bool? CrossProvince);

public sealed record RelyingPartyLogView(IReadOnlyList<RelyingPartyLogEntryView> Entries, string? Next);

public sealed record CredentialView(
    string CredentialId,
    string Status,
    string Assurance,
    DateTimeOffset BoundAt,
    string? DeviceLabel,
    DateTimeOffset? StatusChangedAt,
    string? StatusReason,
    DateTimeOffset? ProvisionalUntil = null);

public sealed record CitizenView(string HomeProvince, IReadOnlyList<CredentialView> Credentials, bool Locked);

/// <summary>Operator: register a relying party. Sector: hotel, rail, bank, government, telecom, other.</summary>
/// <summary>
/// Registers an RP. Optional: its own rate (verifications per second per silo; default the service's), a daily quota
/// (verifications per UTC day; default none), and whether its requests must be HMAC-signed (docs/security.md).
/// </summary>
public sealed record RegisterRelyingPartyRequest(
    string? LegalName, string? Sector, string? Province, string[]? Scopes, int? RateLimitPerSecond = null, long? DailyQuota = null, bool? SignedRequests = null);

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

/// <summary>
/// Wallet: suspend, resume or revoke one of my credentials (this phone's or another one's), signed by one of my
/// phones. Resume needs a live face; a suspended phone may sign the resume of itself.
/// </summary>
public sealed record WalletCredentialRequest(string? CredentialId, string? Reason, FaceInput? Face);

/// <summary>Wallet: lock my identity (no face needed) or unlock it (live face needed).</summary>
public sealed record WalletLockRequest(string? Reason, FaceInput? Face);

/// <summary>Registers where the phone's owner lives: a province code such as "44". Signed by the phone.</summary>
public sealed record WalletResidenceRequest(string? Province);

public sealed record MatchInput(string? Attribute, string? Value);

/// <summary>RP: verify a scanned QR for a scope, with a live face when the terminal captured one.</summary>
/// <summary>
/// A QR (phone or printed card) to verify. <c>onBehalfOf</c>: the principal's ID number when the person showing their
/// own phone's QR acts under the principal's mandate.
/// </summary>
public sealed record VerificationRequest(string? Scope, string? Presentation, FaceInput? Face, MatchInput? Match, string? OnBehalfOf = null);

/// <summary>A counter verification: the ID number read from the physical card and the person's live face.</summary>
public sealed record InPersonVerificationRequest(string? Scope, string? IdNumber, FaceInput? Face, MatchInput? Match);

/// <summary>Issues a printed card at a counter (the citizen's live face); any earlier card stops working.</summary>
public sealed record IssueCardRequest(string? IdNumber, FaceInput? Face);

/// <summary>The card's static QR (to print), and when it expires. Shown once; the service keeps only the card's id.</summary>
public sealed record IssueCardResponse(string CardQr, DateTimeOffset ExpiresAt);

/// <summary>Revokes a citizen's printed card: at a counter (live face) or by the hotline.</summary>
public sealed record RevokeCardRequest(string? IdNumber, string? Reason, FaceInput? Face, string? Channel);

/// <summary>A mandate granted from the principal's phone: to whom (ID number), for which scopes, from when until when.</summary>
/// <summary>A mandate granted from the principal's phone, with the principal's live face (a stolen phone alone grants nothing).</summary>
public sealed record WalletMandateRequest(string? DelegateIdNumber, string[]? Scopes, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, FaceInput? Face = null);

/// <summary>
/// A mandate granted at a counter. <c>kind</c> "mandate" (default): <c>face</c> is the principal's. "guardianship"
/// (a principal under 16): <c>face</c> is the guardian's (the delegate's), and the mandate ends on the 16th birthday.
/// </summary>
public sealed record CounterMandateRequest(
    string? PrincipalIdNumber, string? DelegateIdNumber, string[]? Scopes, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil, string? Kind, FaceInput? Face);

public sealed record MandateResponse(string MandateId, string Kind, string[] Scopes, DateTimeOffset ValidFrom, DateTimeOffset ValidUntil, string Status, DateTimeOffset GrantedAt);

public sealed record MandateListResponse(IReadOnlyList<MandateResponse> Mandates);

public sealed record WalletMandateRevokeRequest(string? MandateId, string? Reason);

/// <summary>
/// Ends a mandate at a counter: with the principal's face, or, for a guardianship, the guardian's face and
/// <c>guardianIdNumber</c>.
/// </summary>
public sealed record CounterMandateRevokeRequest(string? PrincipalIdNumber, string? MandateId, string? Reason, FaceInput? Face, string? GuardianIdNumber);

public sealed record VerificationResponse(
    Guid VerificationId,
    bool Verified,
    string? Reason,
    string Assurance,
    string? Pseudonym,
    IReadOnlyDictionary<string, string> Attributes,
    bool? Match,
    DateTimeOffset CheckedAt,
    bool Delegated = false,
    string? DelegatePseudonym = null);

/// <summary>One event in an RP's feed: a status change of a citizen it verified, named by the RP's own pseudonym.</summary>
public sealed record RelyingPartyEventView(long Sequence, Guid EventId, string Kind, string Pseudonym, DateTimeOffset At);

public sealed record RelyingPartyEventsView(IReadOnlyList<RelyingPartyEventView> Events);

/// <summary>One event about the citizen's own credentials or identity, as their phones receive it.</summary>
public sealed record WalletEventView(Guid EventId, string Kind, DateTimeOffset At, string? CredentialId, string? Channel, string? Note);

public sealed record WalletEventsView(IReadOnlyList<WalletEventView> Events);
