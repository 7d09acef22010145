using System.Collections.Concurrent;

namespace NationalId.Silo.Apis;

/// <summary>
/// Caps the event streams one RP or one phone holds open on this silo (Gateway:MaxStreamsPerRelyingParty,
/// Gateway:MaxStreamsPerDevice): beyond them a new stream is 429 too_many_streams. Per silo, so a cluster of n
/// gateways allows n times as many; each stream is cheap (RP streams share one poll per RP per silo).
/// </summary>
public sealed class EventStreamLimits
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>A lease on one stream slot of <paramref name="key"/>, or null when all <paramref name="max"/> are taken.</summary>
    public IDisposable? TryOpen(string key, int max)
    {
        while (true)
        {
            var current = _open.GetOrAdd(key, 0);
            if (current >= max)
            {
                return null;
            }

            if (_open.TryUpdate(key, current + 1, current))
            {
                return new Lease(this, key);
            }
        }
    }

    public int Open(string key) => _open.TryGetValue(key, out var n) ? n : 0;

    private void Close(string key)
    {
        while (true)
        {
            var current = _open[key];
            if (current <= 1 ? _open.TryRemove(new KeyValuePair<string, int>(key, current)) : _open.TryUpdate(key, current - 1, current))
            {
                return;
            }
        }
    }

    private sealed class Lease(EventStreamLimits owner, string key) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                owner.Close(key);
            }
        }
    }
}
