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
}
