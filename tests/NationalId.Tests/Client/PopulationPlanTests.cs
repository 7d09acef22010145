using NationalId.Client.Load;
using NationalId.IdNumbers;

namespace NationalId.Tests.Client;

public class PopulationPlanTests
{
    private static readonly PlannedCitizen[] Sample = new PopulationPlan(seed: 7).Citizens(20_000).ToArray();

    [Fact]
    public void Every_planned_id_number_is_valid_and_distinct()
    {
        Assert.All(Sample, c => Assert.True(ResidentIdNumber.TryParse(c.IdNumber.Value, out _, out var error), error.ToString()));
        Assert.Equal(Sample.Length, Sample.Select(c => c.IdNumber.Value).Distinct().Count());
    }

    [Fact]
    public void Home_provinces_follow_the_census_weights()
    {
        var total = (double)Province.All.Sum(p => p.Population);
        foreach (var code in new[] { "44", "37", "11", "54" })
        {
            Province.TryGet(code, out var province);
            var expected = province.Population / total;
            var actual = Sample.Count(c => c.IdNumber.ProvinceCode == code) / (double)Sample.Length;
            Assert.InRange(actual, expected * 0.8 - 0.001, expected * 1.2 + 0.001);
        }
    }

    [Fact]
    public void About_the_configured_share_live_outside_their_home_province()
    {
        var elsewhere = Sample.Count(c => c.ResidenceProvince != c.IdNumber.ProvinceCode) / (double)Sample.Length;
        Assert.InRange(elsewhere, 0.07, 0.11);
    }

    [Fact]
    public void The_same_seed_and_index_give_the_same_citizen()
    {
        var again = new PopulationPlan(seed: 7).Citizen(12_345);
        Assert.Equal(Sample[12_345].IdNumber, again.IdNumber);
        Assert.Equal(Sample[12_345].ResidenceProvince, again.ResidenceProvince);

    }

    [Fact]
    public void Birth_dates_give_age_checks_both_answers()
    {
        var today = new DateOnly(2026, 11, 26);
        Assert.Contains(Sample, c => c.IdNumber.AgeOn(today) < 18);
        Assert.Contains(Sample, c => c.IdNumber.AgeOn(today) >= 60);
    }

    [Fact]
    public void Another_seed_makes_other_people()
    {
        var other = new PopulationPlan(seed: 8).Citizens(2_000).Select(c => c.IdNumber.Value).ToHashSet();
        Assert.DoesNotContain(Sample.Take(2_000), c => other.Contains(c.IdNumber.Value));
    }
}
