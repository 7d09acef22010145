namespace NationalId.Citizens;

/// <summary>What a lost-phone procedure does to one credential.</summary>
public enum CredentialAction
{
    /// <summary>Reversible: a misplaced phone.</summary>
    Suspend = 0,

    /// <summary>Lifts a suspension; needs a live face match (remote or at a counter).</summary>
    Resume = 1,

    /// <summary>Final: a stolen or replaced phone.</summary>
    Revoke = 2,
}
