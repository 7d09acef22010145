using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace NationalId.RelyingParties;

/// <summary>
/// Per-silo cache of RP policies. A verification reads its RP's policy from here instead of calling the RP grain, so
/// no single grain sits on every verification's path. An entry is served for at most
/// <see cref="NationalIdOptions.RelyingPartyPolicyTtl"/>: a suspension is in force on every silo within that bound
/// (and at once on the silo that made the change, which invalidates its own entry).
/// </summary>
public sealed class RelyingPartyDirectory(IGrainFactory grains, IOptions<NationalIdOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _ttl = options.Value.RelyingPartyPolicyTtl;

    public async ValueTask<RelyingPartyPolicy?> GetAsync(string relyingPartyId)
    {
        var now = clock.GetUtcNow();
        var lazy = _entries.GetOrAdd(relyingPartyId, Fetch);
        Entry entry;
        try
        {
            entry = await lazy.Value;
        }
        catch
        {
            _entries.TryRemove(new KeyValuePair<string, Lazy<Task<Entry>>>(relyingPartyId, lazy));
            throw;
        }

        if (now - entry.FetchedAt <= _ttl)
        {
            return entry.Policy;
        }

        // Stale: replace it once (concurrent callers share the refresh) and wait for the fresh answer.
        var fresh = Fetch(relyingPartyId);
        if (!_entries.TryUpdate(relyingPartyId, fresh, lazy))
        {
            fresh = _entries.GetOrAdd(relyingPartyId, Fetch);
        }

        return (await fresh.Value).Policy;
    }

    public void Invalidate(string relyingPartyId) => _entries.TryRemove(relyingPartyId, out _);

    private Lazy<Task<Entry>> Fetch(string relyingPartyId) =>
        new(async () =>
        {
            var policy = await grains.GetGrain<IRelyingPartyGrain>(relyingPartyId).GetPolicy();
            return new Entry(policy, clock.GetUtcNow());
        });

    private sealed record Entry(RelyingPartyPolicy? Policy, DateTimeOffset FetchedAt);
}
