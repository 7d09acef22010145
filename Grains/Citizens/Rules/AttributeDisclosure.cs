using System.Globalization;
using NationalId.IdNumbers;
using NationalId.RelyingParties;

namespace NationalId.Citizens.Rules;

/// <summary>Pure rules deciding what a scope discloses and how match requests compare.</summary>
public static class AttributeDisclosure
{
    public static Dictionary<string, string> For(CitizenState citizen, ScopePolicy scope, DateOnly today)
    {
        var result = new Dictionary<string, string>(scope.Attributes.Length, StringComparer.Ordinal);
        foreach (var name in scope.Attributes)
        {
            var value = ValueOf(citizen, name, today);
            if (value is not null)
            {
                result[name] = value;
            }
        }

        return result;
    }

    /// <summary>Whether the held value equals the citizen's attribute (ID numbers compare case-insensitively on X).</summary>
    public static bool Matches(CitizenState citizen, string attribute, string heldValue, DateOnly today)
    {
        var actual = ValueOf(citizen, attribute, today);
        if (actual is null)
        {
            return false;
        }

        var held = heldValue.Trim();
        return attribute == DisclosableAttribute.IdNumber
            ? string.Equals(actual, held, StringComparison.OrdinalIgnoreCase)
            : string.Equals(actual.Normalize(), held.Normalize(), StringComparison.Ordinal);
    }

    private static string? ValueOf(CitizenState citizen, string name, DateOnly today)
    {
        var birth = DateOnly.ParseExact(citizen.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return name switch
        {
            DisclosableAttribute.Name => citizen.Name,
            DisclosableAttribute.Sex => citizen.Sex,
            DisclosableAttribute.BirthDate => citizen.BirthDate,
            DisclosableAttribute.AgeOver18 => AgeOn(birth, today) >= 18 ? "true" : "false",
            DisclosableAttribute.AgeOver60 => AgeOn(birth, today) >= 60 ? "true" : "false",
            DisclosableAttribute.HomeProvince => citizen.HomeProvince,
            DisclosableAttribute.ResidenceProvince => citizen.ResidenceProvince ?? citizen.HomeProvince,
            DisclosableAttribute.IdNumber => citizen.IdNumber,
            _ => null,
        };
    }

    private static int AgeOn(DateOnly birth, DateOnly today)
    {
        var age = today.Year - birth.Year;
        return today < birth.AddYears(age) ? age - 1 : age;
    }

    /// <summary>Province codes are validated by the caller; this keeps the rule in one place.</summary>
    public static bool IsProvince(string? code) => Province.IsKnown(code);
}
