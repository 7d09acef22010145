namespace NationalId.Citizens;

/// <summary>Who asks for a credential or identity change: none of them needs the lost phone.</summary>
public enum ActionChannel
{
    /// <summary>One of the citizen's phones, by a request signed with its device key.</summary>
    Device = 0,

    /// <summary>A counter officer, after an in-person face match.</summary>
    Counter = 1,

    /// <summary>A hotline officer: may only suspend or lock (protective actions), never lift or revoke.</summary>
    Hotline = 2,
}
