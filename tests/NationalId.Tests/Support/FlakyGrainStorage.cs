using System.Collections.Concurrent;
using Orleans.Storage;

namespace NationalId.Tests.Support;

/// <summary>
/// Grain storage that keeps serialized copies (so a grain's in-memory changes never leak into "storage") and can be
/// told to fail the next writes, as PostgreSQL does when it goes away mid-call.
/// </summary>
public sealed class FlakyGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<string, (BinaryData Data, string ETag)> _rows = new();
    private readonly GrainStateJsonSerializer _serializer = new(TestKeys.DataProtector());
    private int _failNextWrites;

    public void FailNextWrites(int count) => Volatile.Write(ref _failNextWrites, count);

    public T? Stored<T>(string stateName, GrainId grainId) =>
        _rows.TryGetValue(Key(stateName, grainId), out var row) ? _serializer.Deserialize<T>(row.Data) : default;

    /// <summary>Changes a stored row as someone with access to the table would (the grain sees it at its next activation).</summary>
    public void Tamper<T>(string stateName, GrainId grainId, Action<T> change)
    {
        var key = Key(stateName, grainId);
        var row = _rows[key];
        var state = _serializer.Deserialize<T>(row.Data);
        change(state);
        _rows[key] = (_serializer.Serialize(state), row.ETag);
    }

    /// <summary>Copies one grain's stored row under another grain's key, bytes unchanged.</summary>
    public void CopyRow(string stateName, GrainId from, GrainId to) => _rows[Key(stateName, to)] = _rows[Key(stateName, from)];

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_rows.TryGetValue(Key(stateName, grainId), out var row))
        {
            grainState.State = _serializer.Deserialize<T>(row.Data);
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Interlocked.Decrement(ref _failNextWrites) >= 0)
        {
            throw new InvalidOperationException("storage unavailable (test)");
        }

        var etag = Guid.NewGuid().ToString("N");
        _rows[Key(stateName, grainId)] = (_serializer.Serialize(grainState.State), etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _rows.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";
}
