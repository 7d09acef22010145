using NationalId.Citizens;
using NationalId.Citizens.Rules;

namespace NationalId.Tests.Citizens.Rules;

public class MandateRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Max = new NationalIdOptions().MandateMaxDuration;

    [Theory]
    [InlineData("2010-12-02", false)] // 16 today
    [InlineData("2010-12-03", true)]  // 16 tomorrow
    [InlineData("1980-01-01", false)]
    public void A_citizen_is_under_16_until_the_day_of_their_16th_birthday(string birthDate, bool under16) =>
        Assert.Equal(under16, MandateRules.IsUnder16(birthDate, Now));

    [Fact]
    public void A_guardianship_is_for_a_minor_and_an_ordinary_mandate_for_anyone_older()
    {
        Assert.Null(MandateRules.Principal(MandateKind.Guardianship, under16: true));
        Assert.Equal("principal_not_a_minor", MandateRules.Principal(MandateKind.Guardianship, under16: false));
        Assert.Null(MandateRules.Principal(MandateKind.Mandate, under16: false));
        Assert.Equal("principal_is_a_minor", MandateRules.Principal(MandateKind.Mandate, under16: true));
    }

    [Fact]
    public void A_mandates_period_is_as_asked_within_the_maximum_and_a_guardianship_ends_at_16_at_the_latest()
    {
        var sixteenth = MandateRules.SixteenthBirthday("2015-06-01");
        Assert.Equal(new DateTimeOffset(2031, 6, 1, 0, 0, 0, TimeSpan.Zero), sixteenth);
        Assert.Equal(Now + Max, MandateRules.Until(MandateKind.Mandate, Now, null, sixteenth, Now, Max));
        Assert.Equal(Now.AddDays(30), MandateRules.Until(MandateKind.Mandate, Now, Now.AddDays(30), sixteenth, Now, Max));
        Assert.Null(MandateRules.Until(MandateKind.Mandate, Now, Now + Max + TimeSpan.FromDays(1), sixteenth, Now, Max)); // too long
        Assert.Null(MandateRules.Until(MandateKind.Mandate, Now, Now, sixteenth, Now, Max)); // ends as it starts
        Assert.Null(MandateRules.Until(MandateKind.Mandate, Now.AddDays(-10), Now.AddDays(-1), sixteenth, Now, Max)); // over already
        Assert.Equal(sixteenth, MandateRules.Until(MandateKind.Guardianship, Now, null, sixteenth, Now, Max));
        Assert.Equal(sixteenth, MandateRules.Until(MandateKind.Guardianship, Now, sixteenth.AddYears(3), sixteenth, Now, Max));
        Assert.Equal(Now.AddYears(1), MandateRules.Until(MandateKind.Guardianship, Now, Now.AddYears(1), sixteenth, Now, Max));
    }
}
