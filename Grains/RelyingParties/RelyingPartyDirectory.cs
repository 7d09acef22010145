using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace NationalId.RelyingParties;

/// <summary>
/// Per-silo cache of RP policies. A verification reads its RP's policy from here instead of calling the RP grain, so
/// no single grain sits on every verification's path. An entry is served for at most
/// <see cref="NationalIdOptions.RelyingPartyPolicyTtl"/>: a suspension is in force on every silo within that bound
/// (and at once on the silo that made the change, which invalidates its own entry). Ids of the wrong shape never
/// reach a grain; unknown well-shaped ids are remembered briefly in a bounded set, so a repeated made-up id costs one
/// grain call per TTL and the cache cannot grow without bound (a stream of fresh made-up ids still costs one call
/// each: per-client rate limits are the defence there).
/// </summary>
public sealed class RelyingPartyDirectory(IGrainFactory grains, IOptions<NationalIdOptions> options, TimeProvider clock)
{
    private const int MaxUnknown = 100_000;

    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _unknown = new(StringComparer.Ordinal);
    private readonly TimeSpan _ttl = options.Value.RelyingPartyPolicyTtl;
    private readonly TimeSpan _staleGrace = options.Value.RelyingPartyPolicyStaleGrace;
    private readonly TimeSpan _deadline = options.Value.VerificationDeadline;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The RP's province and the scope's rules, from the RP's own policy (this silo's cache of it), when the RP is
    /// active and registered for the scope; null otherwise. A caller names the RP and the scope, nothing more: a
    /// message from inside the cluster cannot widen a scope or claim a province.
    /// </summary>
    public async ValueTask<(string Province, ScopePolicy Scope)?> AuthorizedScopeAsync(string relyingPartyId, string scopeName)
    {
        var policy = await GetAsync(relyingPartyId);
        if (policy is not { Status: RelyingPartyStatus.Active })
        {
            return null;
        }

        foreach (var scope in policy.Scopes)
        {
            if (string.Equals(scope.Name, scopeName, StringComparison.Ordinal))
            {
                return (policy.Province, scope);
            }
        }

        return null;
    }

    public async ValueTask<RelyingPartyPolicy?> GetAsync(string relyingPartyId)
    {
        var now = clock.GetUtcNow();
        if (!ApiKeys.IsRelyingPartyId(relyingPartyId)
            || (_unknown.TryGetValue(relyingPartyId, out var unknownUntil) && unknownUntil > now))
        {
            return null;
        }

        var lazy = _entries.GetOrAdd(relyingPartyId, Fetch);
        var entry = await Await(relyingPartyId, lazy);
        if (now - entry.FetchedAt > _ttl)
        {
            // Stale: replace it once (concurrent callers share the refresh) and wait for the fresh answer.
            var fresh = Fetch(relyingPartyId);
            if (!_entries.TryUpdate(relyingPartyId, fresh, lazy))
            {
                fresh = _entries.GetOrAdd(relyingPartyId, Fetch);
            }

            try
            {
                entry = await Await(relyingPartyId, fresh);
            }
            catch (Exception ex) when (Verification.Verifier.IsSiloFailure(ex) && entry.Policy is not null && now - entry.FetchedAt <= _ttl + _staleGrace)
            {
                // The RP's grain is moving (its silo died): serve what this silo knew, and ask again next time.
                _entries.TryAdd(relyingPartyId, lazy);
                return entry.Policy;
            }
        }

        if (entry.Policy is null)
        {
            _entries.TryRemove(new KeyValuePair<string, Lazy<Task<Entry>>>(relyingPartyId, lazy));
            if (_unknown.Count >= MaxUnknown)
            {
                _unknown.Clear();
            }

            _unknown[relyingPartyId] = now + _ttl;
        }

        return entry.Policy;
    }

    /// <summary>Raised after an RP's entry was dropped (tests and metrics observe propagation with it).</summary>
    public event Action<string>? Invalidated;

    /// <summary>Drops what this silo knows about the RP; the next request asks its grain.</summary>
    public void Invalidate(string relyingPartyId)
    {
        _entries.TryRemove(relyingPartyId, out _);
        _unknown.TryRemove(relyingPartyId, out _);
        Invalidated?.Invoke(relyingPartyId);
    }

    private async Task<Entry> Await(string relyingPartyId, Lazy<Task<Entry>> lazy)
    {
        try
        {
            return await lazy.Value;
        }
        catch
        {
            // A failed fetch is not cached: the next request tries again.
            _entries.TryRemove(new KeyValuePair<string, Lazy<Task<Entry>>>(relyingPartyId, lazy));
            throw;
        }
    }

    /// <summary>
    /// Asks the RP grain, again when the silo holding it fails mid-call (the cluster activates it elsewhere), until
    /// the verification deadline: a silo's death costs the RP latency, not an error.
    /// </summary>
    private Lazy<Task<Entry>> Fetch(string relyingPartyId) =>
        new(async () =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var backoff = FirstBackoff;
            while (true)
            {
                try
                {
                    var policy = await grains.GetGrain<IRelyingPartyGrain>(relyingPartyId).GetPolicy();
                    return new Entry(policy, clock.GetUtcNow());
                }
                catch (Exception ex) when (Verification.Verifier.IsSiloFailure(ex) && System.Diagnostics.Stopwatch.GetElapsedTime(started) + backoff < _deadline)
                {
                    await Task.Delay(backoff, clock);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
                }
            }
        });

    private sealed record Entry(RelyingPartyPolicy? Policy, DateTimeOffset FetchedAt);
}
