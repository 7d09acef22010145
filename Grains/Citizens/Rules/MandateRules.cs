using System.Globalization;
using NationalId.Errors;

namespace NationalId.Citizens.Rules;

/// <summary>Mandate and guardianship rules, pure: ages from the birth date, the period a grant may have.</summary>
public static class MandateRules
{
    /// <summary>The principal's 16th birthday (00:00 UTC), when a guardianship ends.</summary>
    public static DateTimeOffset SixteenthBirthday(string birthDate)
    {
        var birth = DateOnly.ParseExact(birthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new DateTimeOffset(birth.AddYears(16).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    public static bool IsUnder16(string birthDate, DateTimeOffset now) =>
        DateOnly.FromDateTime(now.UtcDateTime) < DateOnly.FromDateTime(SixteenthBirthday(birthDate).UtcDateTime);

    /// <summary>
    /// Who may be a principal of this kind: a guardianship is for a minor (under 16), an ordinary mandate for anyone
    /// older. Null when allowed, else the refusal.
    /// </summary>
    public static string? Principal(MandateKind kind, bool under16) => kind switch
    {
        MandateKind.Guardianship when !under16 => ErrorCodes.PrincipalNotAMinor,
        MandateKind.Mandate when under16 => ErrorCodes.PrincipalIsAMinor,
        _ => null,
    };

    /// <summary>
    /// The end of a granted mandate: as asked, or the longest allowed (an ordinary mandate: from + <paramref name="maxDuration"/>;
    /// a guardianship: the minor's 16th birthday, never later). Null when the period is not valid (ends before it
    /// starts, is over already, or an ordinary mandate longer than the maximum).
    /// </summary>
    public static DateTimeOffset? Until(MandateKind kind, DateTimeOffset validFrom, DateTimeOffset? validUntil, DateTimeOffset sixteenth, DateTimeOffset now, TimeSpan maxDuration)
    {
        var until = kind == MandateKind.Guardianship
            ? (validUntil is { } u && u < sixteenth ? u : sixteenth)
            : validUntil ?? validFrom + maxDuration;
        return until <= validFrom || until <= now || (kind == MandateKind.Mandate && until - validFrom > maxDuration) ? null : until;
    }
}
