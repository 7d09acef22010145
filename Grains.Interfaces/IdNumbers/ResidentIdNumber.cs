using System.Globalization;

namespace NationalId.IdNumbers;

/// <summary>
/// An 18-character resident ID number (GB 11643-1999): 6-digit region code, 8-digit birth date, 3-digit sequence
/// (odd = male) and an ISO 7064 MOD 11-2 check character. Never log <see cref="Value"/> or use it as a key: it lives
/// only inside the citizen's own state; everything else uses the citizen handle.
/// </summary>
public sealed class ResidentIdNumber : IEquatable<ResidentIdNumber>
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    private ResidentIdNumber(string value, DateOnly birthDate)
    {
        Value = value;
        BirthDate = birthDate;
    }

    /// <summary>The canonical form: 18 characters, upper-case X.</summary>
    public string Value { get; }

    public string RegionCode => Value[..6];

    public string ProvinceCode => Value[..2];

    public DateOnly BirthDate { get; }

    public int Sequence => int.Parse(Value.AsSpan(14, 3), CultureInfo.InvariantCulture);

    /// <summary>"M" when the sequence is odd, "F" when even.</summary>
    public string Sex => Sequence % 2 == 1 ? "M" : "F";

    /// <summary>Parses and validates; on failure says exactly what is wrong.</summary>
    public static bool TryParse(string? input, DateOnly today, out ResidentIdNumber? idNumber, out IdNumberError error)
    {
        idNumber = null;
        error = Validate(input, today, out var birthDate);
        if (error != IdNumberError.None)
        {
            return false;
        }

        idNumber = new ResidentIdNumber(input!.Trim().ToUpperInvariant(), birthDate);
        return true;
    }

    public static bool TryParse(string? input, out ResidentIdNumber? idNumber, out IdNumberError error) =>
        TryParse(input, DateOnly.FromDateTime(DateTime.UtcNow), out idNumber, out error);

    /// <summary>Parses a number known to be valid (tests, generators); throws otherwise.</summary>
    public static ResidentIdNumber Parse(string input) =>
        TryParse(input, out var id, out var error) ? id! : throw new FormatException($"Invalid resident ID number: {error}");

    /// <summary>The ISO 7064 MOD 11-2 check character for the first 17 digits.</summary>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17Digits)
    {
        if (first17Digits.Length != 17)
        {
            throw new ArgumentException("Exactly 17 digits are needed.", nameof(first17Digits));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var digit = first17Digits[i] - '0';
            if (digit is < 0 or > 9)
            {
                throw new ArgumentException("Only digits are allowed.", nameof(first17Digits));
            }

            sum += digit * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>Builds a valid number from its parts (used by the load tester's population generator).</summary>
    public static ResidentIdNumber Create(string regionCode, DateOnly birthDate, int sequence)
    {
        if (regionCode.Length != 6 || sequence is < 0 or > 999)
        {
            throw new ArgumentException("Region code must have 6 digits and the sequence 0..999.");
        }

        var first17 = string.Create(CultureInfo.InvariantCulture, $"{regionCode}{birthDate:yyyyMMdd}{sequence:D3}");
        return Parse(first17 + ComputeCheckCharacter(first17));
    }

    private static IdNumberError Validate(string? input, DateOnly today, out DateOnly birthDate)
    {
        birthDate = default;
        if (string.IsNullOrWhiteSpace(input))
        {
            return IdNumberError.Empty;
        }

        var s = input.Trim();
        if (s.Length != 18)
        {
            return IdNumberError.WrongLength;
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return IdNumberError.InvalidCharacter;
            }
        }

        if (!char.IsAsciiDigit(s[17]) && s[17] is not ('X' or 'x'))
        {
            return IdNumberError.InvalidCharacter;
        }

        if (!Province.IsKnown(s[..2]))
        {
            return IdNumberError.UnknownProvince;
        }

        // Prefecture and county parts: "00" for both is the province itself, which never issues numbers.
        if (s.AsSpan(2, 4).SequenceEqual("0000"))
        {
            return IdNumberError.InvalidRegionCode;
        }

        if (!DateOnly.TryParseExact(s.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out birthDate)
            || birthDate.Year < 1880)
        {
            return IdNumberError.InvalidBirthDate;
        }

        if (birthDate > today)
        {
            return IdNumberError.BirthDateInFuture;
        }

        if (s.AsSpan(14, 3).SequenceEqual("000"))
        {
            return IdNumberError.InvalidSequence;
        }

        var expected = ComputeCheckCharacter(s.AsSpan(0, 17));
        return char.ToUpperInvariant(s[17]) == expected ? IdNumberError.None : IdNumberError.CheckCharacterMismatch;
    }

    /// <summary>Whole years of age on <paramref name="today"/>.</summary>
    public int AgeOn(DateOnly today)
    {
        var age = today.Year - BirthDate.Year;
        if (today < BirthDate.AddYears(age))
        {
            age--;
        }

        return age;
    }

    public bool Equals(ResidentIdNumber? other) => other is not null && other.Value == Value;

    public override bool Equals(object? obj) => Equals(obj as ResidentIdNumber);

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    /// <summary>Masked, so that an accidental log line never carries the number.</summary>
    public override string ToString() => $"{Value[..2]}****************";
}
