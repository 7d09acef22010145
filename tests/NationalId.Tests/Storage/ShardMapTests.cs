using NationalId.History;
using NationalId.Placement;
using NationalId.Storage;

namespace NationalId.Tests.Storage;

/// <summary>The shard map: a partition of every region's buckets, checked at start; routing total and stable.</summary>
public sealed class ShardMapTests
{
    private static readonly RegionMap Regions = new(RegionMap.Default);

    private static ShardMap Map(params (string Name, string[] Serves)[] shards) => new(Regions, new StorageOptions
    {
        Shards = shards.ToDictionary(s => s.Name, s => new ShardOptions { ConnectionString = $"Host=db-{s.Name}", Serves = [.. s.Serves] }),
    }, "Host=national");

    [Fact]
    public void Unsharded_the_national_database_holds_everyone()
    {
        var map = Map();
        Assert.False(map.IsSharded);
        var shard = Assert.Single(map.Shards);
        Assert.Equal(("national", "Host=national"), (shard.Name, shard.ConnectionString));
        Assert.Equal("shard national serves *", map.RoleOf("Host=national"));
        Assert.Same(shard, map.ShardOf("c44-anything"));
    }

    [Fact]
    public void An_even_split_by_buckets_spreads_handles_evenly_and_ignores_the_region_map()
    {
        var map = Map(("s0", [.. ShardMap.EvenSplit(3, 0)]), ("s1", [.. ShardMap.EvenSplit(3, 1)]), ("s2", [.. ShardMap.EvenSplit(3, 2)]));
        var counts = new int[3];
        for (var i = 0; i < 30_000; i++)
        {
            counts[map.ShardOf($"c{11 + (i % 50):00}-{Guid.NewGuid():N}").Index]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9_000, 11_000));
        Assert.DoesNotContain("regions", map.Shards[0].Role);
    }

    [Fact]
    public void Regions_and_bucket_ranges_route_by_the_handles_province_and_hash()
    {
        var map = Map(("a", ["North", "Northeast", "East:0-2047"]), ("b", ["East:2048-4095", "Central", "South", "Southwest", "Northwest"]));
        Assert.Equal("a", map.ShardOf("c11-abcdefgh").Name);
        Assert.Equal("b", map.ShardOf("c44-abcdefgh").Name);
        for (var i = 0; i < 200; i++)
        {
            var handle = $"c31-{i:x8}";
            Assert.Equal(ShardMap.BucketOf(handle) < 2048 ? "a" : "b", map.ShardOf(handle).Name);
        }

        // The region map is part of what a named-region shard holds.
        Assert.Contains("regions Central=41,42,43", map.Shards[0].Role);
        Assert.Equal("national: no citizens", map.RoleOf("Host=national"));
    }

    [Fact]
    public void The_bucket_of_a_handle_never_changes()
    {
        // Fixed forever: these values are what every stored citizen's place was computed from.
        Assert.Equal(1989, ShardMap.BucketOf("c44-abcdefgh"));
        Assert.Equal(482, ShardMap.BucketOf("c31-7k2m4q9x3b5n8r6t"));
    }

    [Theory]
    [InlineData("\0")]
    [InlineData("")]
    [InlineData("rp-44-abcdefghijklmnop")]
    [InlineData("c99-unknownprovince")]
    [InlineData("c4")]
    public void Any_key_routes_somewhere_and_always_to_the_same_place(string key)
    {
        var map = Map(("a", ["*:0-99"]), ("b", ["*:100-4095"]));
        Assert.Same(map.ShardOf(key), map.ShardOf(key));
    }

    [Theory]
    [InlineData("North", "North", "two shards")] // a region twice
    [InlineData("*:0-2047", "*:2047-4095", "two shards")] // one bucket twice
    [InlineData("*:0-2047", "*:2049-4095", "No storage shard holds bucket 2048")] // a gap
    [InlineData("*", "Atlantis", "not a region")]
    [InlineData("*:5-4", "North", "not a range")]
    [InlineData("*:0-4096", "North", "not a range")]
    [InlineData("East;DROP", "North", "is not REGION")]
    public void A_map_that_is_not_a_partition_of_every_bucket_is_refused(string first, string second, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Map(("a", [first]), ("b", [second])));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("Shard-A")]
    [InlineData("")]
    [InlineData("a very long shard name that goes on and on")]
    public void Shard_names_are_short_lower_case_words(string name)
    {
        Assert.Throws<InvalidOperationException>(() => Map((name, ["*"])));
    }

    [Fact]
    public void Merged_pages_are_newest_first_by_event_id_and_cut_at_the_limit()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 40).Select(i => Guid.CreateVersion7(now.AddMilliseconds(i / 4))).ToList(); // four per millisecond
        var record = (Guid id) => new HistoryRecord(id, UuidV7.Timestamp(id), "c11-x", "verification", RelyingPartyId: "rp-11-x");
        var shardA = ids.Where((_, i) => i % 3 == 0).OrderDescending().Select(record).ToList();
        var shardB = ids.Where((_, i) => i % 3 != 0).OrderDescending().Select(record).ToList();
        var merged = ShardedAccessHistory.Merge([shardA, shardB], 25);
        Assert.Equal(ids.OrderDescending().Take(25), merged.Select(r => r.EventId));

        // The order is PostgreSQL's uuid order (bytes, big-endian), which is the cursor the next page is read with.
        Assert.Equal(ids.OrderDescending(), ids.OrderByDescending(g => Convert.ToHexString(g.ToByteArray(bigEndian: true)), StringComparer.Ordinal));
    }
}
