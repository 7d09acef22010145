namespace NationalId.Citizens;

public enum MandateKind
{
    /// <summary>Granted by an adult principal (by phone or at a counter) for some scopes and a period.</summary>
    Mandate = 0,

    /// <summary>A guardian for a minor under 16, created at a counter; ends on the 16th birthday at the latest.</summary>
    Guardianship = 1,
}
