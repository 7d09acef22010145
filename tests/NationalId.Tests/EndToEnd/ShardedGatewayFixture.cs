namespace NationalId.Tests.EndToEnd;

/// <summary>
/// The real service over two citizen shards, each its own PostgreSQL database beside the national one. The map uses
/// both forms an operator writes: whole regions, and one region split by bucket ranges (East).
/// </summary>
public sealed class ShardedGatewayFixture : GatewayFixture
{
    public static readonly string[] ServedByA = ["North", "Northeast", "East:0-2047"];

    public static readonly string[] ServedByB = ["East:2048-4095", "Central", "South", "Southwest", "Northwest"];

    public PostgresDatabase ShardA { get; private set; } = null!;

    public PostgresDatabase ShardB { get; private set; } = null!;

    public PostgresDatabase ShardNamed(string name) => name switch
    {
        "a" => ShardA,
        "b" => ShardB,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a shard of this fixture"),
    };

    protected override async Task<string[]> PrepareAsync()
    {
        ShardA = await PostgresDatabase.CreateAsync();
        ShardB = await PostgresDatabase.CreateAsync();
        return [.. Shard("a", ShardA, ServedByA), .. Shard("b", ShardB, ServedByB)];
    }

    public static IEnumerable<string> Shard(string name, PostgresDatabase database, string[] serves) =>
        serves.Select((entry, i) => $"--Storage:Shards:{name}:Serves:{i}={entry}")
            .Prepend($"--Storage:Shards:{name}:ConnectionString={database.ConnectionString}");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await ShardA.DisposeAsync();
        await ShardB.DisposeAsync();
    }
}
