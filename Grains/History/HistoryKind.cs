using NationalId.Errors;
namespace NationalId.History;

/// <summary>What a history line records. Stored as these lower-case words.</summary>
public static class HistoryKind
{
    public const string Verification = "verification";
    public const string Bound = "bound";
    public const string Suspended = "suspended";
    public const string Resumed = "resumed";
    public const string Revoked = "revoked";
    public const string Locked = "locked";
    public const string Unlocked = "unlocked";
    public const string OperatorRead = "operator_read";
    public const string ResidenceRegistered = "residence_registered";
    public const string FaceAttemptsExceeded = ErrorCodes.FaceAttemptsExceeded;
    public const string CardIssued = "card_issued";
    public const string CardRevoked = "card_revoked";
    public const string MandateGranted = "mandate_granted";
    public const string MandateRevoked = "mandate_revoked";
    public const string TravelAnomaly = "travel_anomaly";
    public const string Enrolled = "enrolled";
    public const string ActivationCodeIssued = "activation_code_issued";

    /// <summary>Kinds told to the RPs that verified the citizen (credential and identity status changes); the rest only to the citizen.</summary>
    public static bool PublishedToRelyingParties(string kind) => kind is Suspended or Resumed or Revoked or Locked or Unlocked;
}
