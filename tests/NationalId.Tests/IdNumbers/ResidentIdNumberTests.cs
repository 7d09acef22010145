using NationalId.IdNumbers;

namespace NationalId.Tests.IdNumbers;

public class ResidentIdNumberTests
{
    private static readonly DateOnly Today = new(2026, 11, 26);

    [Theory]
    [InlineData("11010519491231002X", "110105", "1949-12-31", "F")]
    [InlineData("440524188001010014", "440524", "1880-01-01", "M")]
    public void Published_examples_of_the_standard_are_valid(string text, string region, string birth, string sex)
    {
        Assert.True(ResidentIdNumber.TryParse(text, Today, out var id, out var error));
        Assert.Equal(IdNumberError.None, error);
        Assert.Equal(region, id!.RegionCode);
        Assert.Equal(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), id.BirthDate);
        Assert.Equal(sex, id.Sex);
    }

    [Fact]
    public void Lower_case_x_is_accepted_and_canonicalized()
    {
        Assert.True(ResidentIdNumber.TryParse("11010519491231002x", Today, out var id, out _));
        Assert.Equal("11010519491231002X", id!.Value);
    }

    [Theory]
    [InlineData(null, IdNumberError.Empty)]
    [InlineData("", IdNumberError.Empty)]
    [InlineData("   ", IdNumberError.Empty)]
    [InlineData("1101051949123100", IdNumberError.WrongLength)]
    [InlineData("11010519491231002X1", IdNumberError.WrongLength)]
    [InlineData("1101051949123100AX", IdNumberError.InvalidCharacter)]
    [InlineData("11010519491231002Y", IdNumberError.InvalidCharacter)]
    [InlineData("1101051949１231002X", IdNumberError.InvalidCharacter)]
    [InlineData("99010519491231002X", IdNumberError.UnknownProvince)]
    [InlineData("110000194912310022", IdNumberError.InvalidRegionCode)]
    [InlineData("110105194902300020", IdNumberError.InvalidBirthDate)]
    [InlineData("110105187001010020", IdNumberError.InvalidBirthDate)]
    [InlineData("110105203001010028", IdNumberError.BirthDateInFuture)]
    [InlineData("110105194912310003", IdNumberError.InvalidSequence)]
    [InlineData("110105194912310021", IdNumberError.CheckCharacterMismatch)]
    public void Each_kind_of_malformation_is_named(string? text, IdNumberError expected)
    {
        Assert.False(ResidentIdNumber.TryParse(text, Today, out var id, out var error));
        Assert.Null(id);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Check_character_follows_iso_7064_mod_11_2()
    {
        Assert.Equal('X', ResidentIdNumber.ComputeCheckCharacter("11010519491231002"));
        Assert.Equal('4', ResidentIdNumber.ComputeCheckCharacter("44052418800101001"));
    }

    [Fact]
    public void Created_numbers_are_valid_and_carry_their_parts()
    {
        var id = ResidentIdNumber.Create("510104", new DateOnly(1990, 2, 28), 123);
        Assert.True(ResidentIdNumber.TryParse(id.Value, Today, out _, out _));
        Assert.Equal("51", id.ProvinceCode);
        Assert.Equal("M", id.Sex);
        Assert.Equal(36, id.AgeOn(Today));
    }

    [Fact]
    public void ToString_never_reveals_the_number()
    {
        var id = ResidentIdNumber.Parse("11010519491231002X");
        Assert.DoesNotContain("0519491231", id.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_province_table_has_all_34_provincial_level_regions()
    {
        Assert.Equal(34, Province.All.Count);
        Assert.True(Province.TryGet("44", out var guangdong));
        Assert.Equal("Guangdong", guangdong.Name);
        Assert.Equal(Province.All.Count, Province.All.Select(p => p.Code).Distinct().Count());
    }
}
