using NationalId.IdNumbers;
using NationalId.Placement;

namespace NationalId.Tests.Grains;

public sealed class RegionMapTests
{
    [Fact]
    public void The_default_map_puts_every_province_in_exactly_one_of_seven_regions()
    {
        var map = new RegionMap(RegionMap.Default);
        Assert.Equal(7, map.Regions.Count);
        Assert.All(Province.All, p => Assert.NotNull(map.RegionOf(p.Code)));
    }

    [Theory]
    [InlineData("c11-abcdefghijklmnopqrstuvwxyz234567", "North")]
    [InlineData("c65-abcdefghijklmnopqrstuvwxyz234567", "Northwest")]
    [InlineData("rp-44-abcdefghijklmnop", "South")]
    [InlineData("silo/127.0.0.1:11111@1", null)]
    [InlineData("c99-abcdefghijklmnopqrstuvwxyz234567", null)]
    [InlineData("", null)]
    public void The_region_comes_from_the_grain_key_alone(string key, string? region) =>
        Assert.Equal(region, new RegionMap(RegionMap.Default).RegionOfKey(key));

    [Fact]
    public void A_province_in_two_regions_or_an_unknown_province_is_refused_at_start()
    {
        var twice = Assert.Throws<InvalidOperationException>(() => new RegionMap(new Dictionary<string, string[]> { ["A"] = ["11"], ["B"] = ["11"] }));
        Assert.Contains("two regions", twice.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<InvalidOperationException>(() => new RegionMap(new Dictionary<string, string[]> { ["A"] = ["99"] }));
        Assert.Contains("'99'", unknown.Message, StringComparison.Ordinal);
    }
}
