
namespace NationalId.Errors;

/// <summary>
/// Every error code the service answers with (docs/reference/api.md, Error codes): the grains and the gateway name codes only
/// through these constants, and the gateway's <c>ErrorCatalogue</c> gives each its HTTP status. Codes that are also
/// verification rejection reasons are the same strings (<see cref="RejectionReason"/>). Tests check that every code
/// here has a status and a row in docs/reference/api.md, and that no other file spells a code as a literal.
/// </summary>
public static class ErrorCodes
{
    public const string MalformedJson = "malformed_json";
    public const string InvalidEncoding = "invalid_encoding";
    public const string InvalidText = "invalid_text";
    public const string BodyTooLarge = "body_too_large";
    public const string InvalidIdNumber = "invalid_id_number";
    public const string InvalidName = "invalid_name";
    public const string FaceTemplateInvalid = "face_template_invalid";
    public const string FaceLivenessInvalid = "face_liveness_invalid";
    public const string InvalidProvince = "invalid_province";
    public const string RegisterMismatch = "register_mismatch";
    public const string DuplicateLine = "duplicate_line";
    public const string MalformedLine = "malformed_line";
    public const string InvalidCredentialId = "invalid_credential_id";
    public const string ReasonRequired = "reason_required";
    public const string InvalidSector = "invalid_sector";
    public const string InvalidScope = "invalid_scope";
    public const string InvalidPublicKey = "invalid_public_key";
    public const string ProofRequired = "proof_required";
    public const string InvalidCapture = "invalid_capture";
    public const string InvalidVendorId = "invalid_vendor_id";
    public const string PresentationMissing = "presentation_missing";
    public const string InvalidMatch = "invalid_match";
    public const string InvalidOnBehalfOf = "invalid_on_behalf_of";
    public const string OnBehalfNotSupported = "on_behalf_not_supported";
    public const string InvalidChannel = "invalid_channel";
    public const string FaceRequired = RejectionReason.FaceRequired;
    public const string InvalidMandate = "invalid_mandate";
    public const string InvalidMandatePeriod = "invalid_mandate_period";
    public const string InvalidMandateId = "invalid_mandate_id";
    public const string InvalidMandateKind = "invalid_mandate_kind";
    public const string InvalidLimit = "invalid_limit";
    public const string InvalidCursor = "invalid_cursor";
    public const string UnsignedParameter = "unsigned_parameter";
    public const string InvalidParameter = "invalid_parameter";
    public const string InvalidOperatorKey = "invalid_operator_key";
    public const string InvalidApiKey = "invalid_api_key";
    public const string DeviceSignatureInvalid = "device_signature_invalid";
    public const string DeviceRequestReplayed = "device_request_replayed";
    public const string SignatureRequired = "signature_required";
    public const string SignatureExpired = "signature_expired";
    public const string SignatureInvalid = "signature_invalid";
    public const string RelyingPartySuspended = "relying_party_suspended";
    public const string ScopeNotAllowed = "scope_not_allowed";
    public const string InPersonNotAllowed = "in_person_not_allowed";
    public const string ActivationCodeInvalid = "activation_code_invalid";
    public const string FaceMismatch = RejectionReason.FaceMismatch;
    public const string LivenessInsufficient = RejectionReason.LivenessInsufficient;
    public const string FaceAttemptsExceeded = RejectionReason.FaceAttemptsExceeded;
    public const string ChannelNotAllowed = "channel_not_allowed";
    public const string CitizenLocked = RejectionReason.CitizenLocked;
    public const string CaptureNotAttested = "capture_not_attested";
    public const string CredentialProvisional = "credential_provisional";
    public const string CitizenNotFound = "citizen_not_found";
    public const string CredentialNotFound = "credential_not_found";
    public const string CardNotFound = "card_not_found";
    public const string DelegateNotFound = "delegate_not_found";
    public const string MandateNotFound = RejectionReason.MandateNotFound;
    public const string UnknownAction = "unknown_action";
    public const string RelyingPartyNotFound = "relying_party_not_found";
    public const string CaptureVendorNotFound = "capture_vendor_not_found";
    public const string CitizenAlreadyEnrolled = "citizen_already_enrolled";
    public const string CredentialRevoked = "credential_revoked";
    public const string PublicKeyRevoked = "public_key_revoked";
    public const string DeviceLimitReached = "device_limit_reached";
    public const string MandateLimitReached = "mandate_limit_reached";
    public const string PrincipalIsAMinor = "principal_is_a_minor";
    public const string PrincipalNotAMinor = "principal_not_a_minor";
    public const string DelegateIsAMinor = "delegate_is_a_minor";
    public const string RelyingPartyExists = "relying_party_exists";
    public const string CaptureVendorExists = "capture_vendor_exists";
    public const string RateLimited = "rate_limited";
    public const string QuotaExceeded = "quota_exceeded";
    public const string TooManyStreams = "too_many_streams";
    public const string ServiceUnavailable = "service_unavailable";
    public const string InternalError = "internal_error";
    public const string TooManyRequests = "too_many_requests";
}
