namespace NationalId.RelyingParties;

public enum Sector
{
    Other = 0,
    Hotel = 1,
    Rail = 2,
    Bank = 3,
    Government = 4,
    Telecom = 5,
}
