namespace NationalId.Citizens;

public enum CredentialStatus
{
    Active = 0,

    /// <summary>Reversible (a misplaced phone).</summary>
    Suspended = 1,

    /// <summary>Final.</summary>
    Revoked = 2,
}
