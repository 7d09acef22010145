namespace NationalId.Citizens;

/// <summary>How strongly an identity was established (graded as in China's CTID and eIDAS).</summary>
public enum Assurance
{
    None = 0,

    /// <summary>Remote activation with a face match; presentation with the device key.</summary>
    Substantial = 2,

    /// <summary>In-person activation at a counter, or a live face match at verification time.</summary>
    High = 3,
}
