using Microsoft.Extensions.Options;
using NationalId.IdNumbers;

namespace NationalId.Placement;

/// <summary>
/// Which region serves which provinces. Seven regions by default (the country's customary geographic divisions); any
/// region may be given another set of provinces in configuration (<c>NationalId:Regions:East:0=31</c>, ...). A
/// province belongs to at most one region; a province left out of every region is placed anywhere.
/// </summary>
public sealed class RegionMap
{
    /// <summary>The silo metadata key that names a silo's region (<c>Orleans:Region</c> in configuration).</summary>
    public const string MetadataKey = "region";

    public static readonly IReadOnlyDictionary<string, string[]> Default = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["North"] = ["11", "12", "13", "14", "15"],
        ["Northeast"] = ["21", "22", "23"],
        ["East"] = ["31", "32", "33", "34", "35", "36", "37", "71"],
        ["Central"] = ["41", "42", "43"],
        ["South"] = ["44", "45", "46", "81", "82"],
        ["Southwest"] = ["50", "51", "52", "53", "54"],
        ["Northwest"] = ["61", "62", "63", "64", "65"],
    };

    private readonly Dictionary<string, string> _regionOfProvince = new(StringComparer.Ordinal);

    public RegionMap(IOptions<NationalIdOptions> options)
        : this(options.Value.Regions is { Count: > 0 } configured ? configured.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()) : Default)
    {
    }

    public RegionMap(IReadOnlyDictionary<string, string[]> regions)
    {
        foreach (var (region, provinces) in regions)
        {
            foreach (var province in provinces)
            {
                if (!Province.IsKnown(province))
                {
                    throw new InvalidOperationException($"Region {region} names province '{province}', which is not a province code.");
                }

                if (!_regionOfProvince.TryAdd(province, region))
                {
                    throw new InvalidOperationException($"Province {province} is in two regions: {_regionOfProvince[province]} and {region}.");
                }
            }
        }

        Regions = [.. regions.Keys.Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> Regions { get; }

    /// <summary>The map in a canonical form (regions and their provinces in order), to record and compare.</summary>
    public string Describe() => string.Join(" ", Regions.Select(r =>
        r + "=" + string.Join(",", _regionOfProvince.Where(p => p.Value == r).Select(p => p.Key).Order(StringComparer.Ordinal))));

    public string? RegionOf(string provinceCode) => _regionOfProvince.GetValueOrDefault(provinceCode);

    /// <summary>
    /// The region of a grain from its key alone: a citizen handle (<c>c31-…</c>) or a relying-party id (<c>rp-31-…</c>)
    /// carries its province, so placement never needs a lookup (and never sees an ID number).
    /// </summary>
    public string? RegionOfKey(string? key) => ProvinceOfKey(key) is { } province ? RegionOf(province) : null;

    public static string? ProvinceOfKey(string? key)
    {
        if (key is null)
        {
            return null;
        }

        if (key.Length > 3 && key[0] == 'c' && key[3] == '-')
        {
            return key.Substring(1, 2);
        }

        if (key.Length > 6 && key.StartsWith("rp-", StringComparison.Ordinal) && key[5] == '-')
        {
            return key.Substring(3, 2);
        }

        return null;
    }
}
