namespace NationalId.RelyingParties;

public enum RelyingPartyStatus
{
    Active = 0,
    Suspended = 1,
}
