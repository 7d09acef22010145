using Npgsql;

namespace NationalId.Storage;

/// <summary>One Npgsql data source per citizen shard, by <see cref="StorageShard.Index"/>; the national one is separate.</summary>
public sealed class ShardDataSources(ShardMap map, NpgsqlDataSource national, string nationalConnectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource[] _sources = map.Shards
        .Select(s => s.ConnectionString == nationalConnectionString ? national : NpgsqlDataSource.Create(s.ConnectionString))
        .ToArray();

    public ShardMap Map => map;

    public NpgsqlDataSource this[StorageShard shard] => _sources[shard.Index];

    public NpgsqlDataSource Of(string citizenHandle) => _sources[map.ShardOf(citizenHandle).Index];

    /// <summary>Every shard with its data source, in index order.</summary>
    public IEnumerable<(StorageShard Shard, NpgsqlDataSource Source)> All => map.Shards.Select(s => (s, _sources[s.Index]));

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources.Where(s => !ReferenceEquals(s, national)))
        {
            await source.DisposeAsync();
        }
    }
}
