namespace NationalId.RelyingParties;

/// <summary>The attribute names a scope may disclose or match (photo is never disclosed).</summary>
public static class DisclosableAttribute
{
    public const string Name = "name";
    public const string Sex = "sex";
    public const string BirthDate = "birth_date";
    public const string AgeOver18 = "age_over_18";
    public const string AgeOver60 = "age_over_60";
    public const string HomeProvince = "home_province";
    public const string ResidenceProvince = "residence_province";

    /// <summary>Only for scopes with a legal basis.</summary>
    public const string IdNumber = "id_number";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Name, Sex, BirthDate, AgeOver18, AgeOver60, HomeProvince, ResidenceProvince, IdNumber,
    };
}
