namespace NationalId.Errors;

/// <summary>Stable reason codes of a rejected verification: normal answers, never server errors.</summary>
public static class RejectionReason
{
    public const string Malformed = "token_malformed";
    public const string UnknownKey = "unknown_key";
    public const string DecryptionFailed = "decryption_failed";
    public const string UnknownCredential = "unknown_credential";
    public const string BadSignature = "bad_signature";
    public const string Expired = "expired";
    public const string NotYetValid = "not_yet_valid";
    public const string Replayed = "replayed";
    public const string Revoked = "revoked";
    public const string Suspended = "suspended";
    public const string CitizenLocked = "citizen_locked";
    public const string FaceRequired = "face_required";
    public const string FaceMismatch = "face_mismatch";
    public const string LivenessInsufficient = "liveness_insufficient";
    public const string AssuranceTooLow = "assurance_too_low";
    public const string AttributeNotMatchable = "attribute_not_matchable";
    public const string UnknownCitizen = "unknown_citizen";
    public const string FaceAttemptsExceeded = "face_attempts_exceeded";
    public const string MandateNotFound = "mandate_not_found";
    public const string MandateRevoked = "mandate_revoked";
    public const string MandateNotInForce = "mandate_not_in_force";
    public const string MandateScopeNotCovered = "mandate_scope_not_covered";

    /// <summary>The RP named is not active or not registered for the scope named (the grain's own check; the gateway refuses first).</summary>
    public const string NotAuthorized = "relying_party_not_authorized";
}
