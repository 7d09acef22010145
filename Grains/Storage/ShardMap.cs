using System.Globalization;
using System.Text.RegularExpressions;
using NationalId.Placement;

namespace NationalId.Storage;

/// <summary>Storage settings, bound from the "Storage" configuration section (docs/reference/configuration.md).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The citizen shards by name. Empty (the default): the national database (ConnectionStrings:NationalId) holds
    /// every citizen, as one shard named <see cref="ShardMap.NationalShard"/>.
    /// </summary>
    public Dictionary<string, ShardOptions> Shards { get; set; } = new(StringComparer.Ordinal);
}

public sealed class ShardOptions
{
    public string? ConnectionString { get; set; }

    /// <summary>
    /// What the shard holds: entries <c>REGION</c> or <c>REGION:FROM-TO</c> (virtual buckets, inclusive), where REGION
    /// is a region of the region map or <c>*</c> for every region. Together the shards must hold every bucket of every
    /// region exactly once.
    /// </summary>
    public List<string> Serves { get; set; } = [];
}

/// <summary>One PostgreSQL database holding a share of the citizens.</summary>
public sealed record StorageShard(int Index, string Name, string ConnectionString, IReadOnlyList<string> Serves)
{
    /// <summary>What this shard holds, in a canonical form recorded in the database itself (<see cref="ShardMap.RoleOf"/>).</summary>
    public string Role { get; init; } = string.Empty;
}

/// <summary>
/// Where each citizen's grain state, replay fence and access history live: the citizen's region (from the province in
/// its handle, the same map that places grains) and a virtual bucket hashed from the handle pick one shard. A region
/// can later be split over more servers by giving bucket ranges to a new shard without changing any key. Pure: no
/// I/O, no clock; the databases check at start that they still hold what this map says (SchemaMigrator).
/// </summary>
public sealed partial class ShardMap
{
    /// <summary>Virtual buckets per region. Fixed forever: changing it would move every citizen.</summary>
    public const int Buckets = 4096;

    /// <summary>The name of the one shard of an unsharded deployment: the national database itself.</summary>
    public const string NationalShard = "national";

    private const string EveryRegion = "*";

    private readonly RegionMap _regions;
    private readonly Dictionary<string, short[]> _cells = new(StringComparer.Ordinal);
    private readonly string _fallbackRegion;

    public ShardMap(RegionMap regions, StorageOptions options, string nationalConnectionString)
    {
        _regions = regions;
        _fallbackRegion = regions.Regions.Count > 0 ? regions.Regions[0] : throw new InvalidOperationException("The region map names no region.");
        var configured = options.Shards.Count == 0
            ? [new(NationalShard, new ShardOptions { ConnectionString = nationalConnectionString, Serves = [EveryRegion] })]
            : options.Shards.OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        if (configured.Count > short.MaxValue)
        {
            throw new InvalidOperationException("Too many storage shards.");
        }

        foreach (var region in regions.Regions)
        {
            _cells[region] = Enumerable.Repeat((short)-1, Buckets).ToArray();
        }

        var shards = new List<StorageShard>();
        foreach (var (name, shard) in configured)
        {
            if (!ShardName().IsMatch(name))
            {
                throw new InvalidOperationException($"Storage shard name '{name}' must be 1-32 characters of a-z, 0-9 and '-'.");
            }

            if (string.IsNullOrWhiteSpace(shard.ConnectionString))
            {
                throw new InvalidOperationException($"Set Storage:Shards:{name}:ConnectionString.");
            }

            if (shard.Serves.Count == 0)
            {
                throw new InvalidOperationException($"Storage shard {name} serves nothing: set Storage:Shards:{name}:Serves.");
            }

            var index = (short)shards.Count;
            foreach (var entry in shard.Serves)
            {
                var (targets, from, to) = Parse(name, entry);
                foreach (var region in targets)
                {
                    var cells = _cells[region];
                    for (var b = from; b <= to; b++)
                    {
                        if (cells[b] >= 0)
                        {
                            throw new InvalidOperationException(
                                $"Bucket {b} of region {region} is held by two shards: {shards.ElementAtOrDefault(cells[b])?.Name ?? name} and {name}.");
                        }

                        cells[b] = index;
                    }
                }
            }

            var serves = shard.Serves.Order(StringComparer.Ordinal).ToList();
            shards.Add(new StorageShard(index, name, shard.ConnectionString, serves) { Role = $"shard {name} serves {string.Join(", ", serves)}" });
        }

        foreach (var (region, cells) in _cells)
        {
            var missing = Array.IndexOf(cells, (short)-1);
            if (missing >= 0)
            {
                throw new InvalidOperationException($"No storage shard holds bucket {missing} of region {region}: every bucket of every region needs one.");
            }
        }

        // A named-region entry depends on which provinces the region has: the map is part of what the shard holds.
        var regional = shards.SelectMany(s => s.Serves).Any(e => !e.StartsWith(EveryRegion, StringComparison.Ordinal));
        Shards = regional
            ? shards.Select(s => s with { Role = $"{s.Role}; regions {regions.Describe()}" }).ToList()
            : shards;
    }

    public IReadOnlyList<StorageShard> Shards { get; }

    public bool IsSharded => Shards.Count > 1 || Shards[0].Name != NationalShard;

    /// <summary>
    /// The shard of a citizen handle. Total and deterministic for any string: a key that is not a citizen handle
    /// (hostile input) or whose province is in no region is placed as if in the first region by name, so it always
    /// finds the same (empty) place.
    /// </summary>
    public StorageShard ShardOf(string citizenHandle)
    {
        var region = _regions.RegionOfKey(citizenHandle) ?? _fallbackRegion;
        return Shards[_cells[region][BucketOf(citizenHandle)]];
    }

    /// <summary>The handle's virtual bucket: FNV-1a (32-bit) of its characters. Fixed forever, like <see cref="Buckets"/>.</summary>
    public static int BucketOf(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % Buckets);
    }

    /// <summary>
    /// What a database holds, as recorded in it: the shard's role; for the national database of a sharded
    /// deployment that is not itself a shard, no citizens.
    /// </summary>
    public string RoleOf(string connectionString) =>
        Shards.FirstOrDefault(s => s.ConnectionString == connectionString)?.Role ?? "national: no citizens";

    private (IReadOnlyList<string> Regions, int From, int To) Parse(string shard, string entry)
    {
        var match = ServesEntry().Match(entry);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Storage shard {shard}: '{entry}' is not REGION or REGION:FROM-TO.");
        }

        var region = match.Groups["region"].Value;
        IReadOnlyList<string> targets = region == EveryRegion ? _regions.Regions
            : _cells.ContainsKey(region) ? [region]
            : throw new InvalidOperationException($"Storage shard {shard}: '{region}' is not a region of the region map.");
        if (!match.Groups["from"].Success)
        {
            return (targets, 0, Buckets - 1);
        }

        var from = int.Parse(match.Groups["from"].Value, CultureInfo.InvariantCulture);
        var to = int.Parse(match.Groups["to"].Value, CultureInfo.InvariantCulture);
        return from <= to && to < Buckets
            ? (targets, from, to)
            : throw new InvalidOperationException($"Storage shard {shard}: buckets {from}-{to} are not a range within 0-{Buckets - 1}.");
    }

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex ShardName();

    [GeneratedRegex(@"^(?<region>\*|[A-Za-z0-9_-]{1,64})(:(?<from>[0-9]{1,4})-(?<to>[0-9]{1,4}))?$")]
    private static partial Regex ServesEntry();

    /// <summary>Buckets as ranges, for messages and docs: an even split of every region over <paramref name="shards"/> shards.</summary>
    public static IReadOnlyList<string> EvenSplit(int shards, int index)
    {
        var from = Buckets * index / shards;
        var to = (Buckets * (index + 1) / shards) - 1;
        return [$"{EveryRegion}:{from}-{to}"];
    }
}
