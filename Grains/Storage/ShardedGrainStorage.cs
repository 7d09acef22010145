using Orleans.Storage;

namespace NationalId.Storage;

/// <summary>
/// Citizens' grain storage: one ADO.NET provider per shard (each registered under <see cref="ProviderName"/>), this
/// one routing every read, write and clear to the shard of the grain's key (Orleans' guidance for sharded storage:
/// a keyed provider in front of ordinary ones). A grain's key never changes, so its state never changes shard.
/// </summary>
public sealed class ShardedGrainStorage(ShardMap map, IReadOnlyList<IGrainStorage> shards) : IGrainStorage
{
    /// <summary>The name of the ADO.NET provider of one shard.</summary>
    public static string ProviderName(StorageShard shard) => $"{StorageNames.Citizens}-{shard.Name}";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        For(grainId).ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        For(grainId).WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        For(grainId).ClearStateAsync(stateName, grainId, grainState);

    private IGrainStorage For(GrainId grainId) => shards[map.ShardOf(grainId.Key.ToString()!).Index];
}
