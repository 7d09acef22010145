using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using NationalId.Errors;
using NationalId.Verification;

namespace NationalId.RelyingParties;

/// <summary>
/// Per-RP admission on the silo that received the request: a token bucket per RP (its own rate, or the service
/// default; per silo, so an RP's cluster-wide rate is at most this times the silos serving it) and the RP's daily
/// quota across the cluster, counted by <see cref="IRelyingPartyQuotaGrain"/>. Each silo reports its count in
/// batches (every <see cref="FlushEvery"/> admissions or second), so the quota may be overshot by at most that much
/// per silo; a refusal is 429 with Retry-After, and nothing is recorded for it.
/// </summary>
public sealed class RelyingPartyLimits(IGrainFactory grains, IOptions<NationalIdOptions> options, TimeProvider clock)
{
    public const int FlushEvery = 20;
    private readonly ConcurrentDictionary<string, (int Rate, TokenBucketRateLimiter Bucket)> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, QuotaCount> _quotas = new(StringComparer.Ordinal);

    public async ValueTask<VerifyOutcome?> AdmitAsync(RelyingPartyPolicy policy)
    {
        var rate = policy.RateLimitPerSecond > 0 ? policy.RateLimitPerSecond : options.Value.DefaultRateLimitPerSecond;
        if (rate > 0)
        {
            // Every verification passes here: a lookup, and a new bucket only when the RP is new or its rate changed.
            if (!_buckets.TryGetValue(policy.RelyingPartyId, out var entry) || entry.Rate != rate)
            {
                entry = (rate, Bucket(rate));
                _buckets[policy.RelyingPartyId] = entry;
            }

            using var lease = entry.Bucket.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                return VerifyOutcome.Refused(ErrorCodes.RateLimited, $"This relying party may make {rate} verifications per second here; retry shortly.") with { RetryAfterSeconds = 1 };
            }
        }

        if (policy.DailyQuota <= 0)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var count = _quotas.GetOrAdd(policy.RelyingPartyId, _ => new QuotaCount());
        long delta;
        lock (count)
        {
            if (count.Day != day)
            {
                (count.Day, count.Known, count.Unflushed, count.FlushedAt) = (day, 0, 0, now);
            }

            if (count.Known + count.Unflushed >= policy.DailyQuota)
            {
                var midnight = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                return VerifyOutcome.Refused(ErrorCodes.QuotaExceeded, $"This relying party's daily quota of {policy.DailyQuota} verifications is used up until 00:00 UTC.")
                    with
                { RetryAfterSeconds = (int)Math.Ceiling((midnight - now).TotalSeconds) };
            }

            count.Unflushed++;
            if (count.Unflushed < FlushEvery && now - count.FlushedAt < TimeSpan.FromSeconds(1) && count.Known + count.Unflushed < policy.DailyQuota)
            {
                return null;
            }

            (delta, count.Unflushed, count.FlushedAt) = (count.Unflushed, 0, now);
            count.Known += delta;
        }

        long total;
        try
        {
            total = await grains.GetGrain<IRelyingPartyQuotaGrain>(IRelyingPartyQuotaGrain.KeyFor(policy.RelyingPartyId, day)).Add(delta);
        }
        catch (Exception ex) when (Verification.Verifier.IsSiloFailure(ex))
        {
            // The quota grain is moving: this silo's own count still holds the line; the delta goes with the next flush.
            lock (count)
            {
                if (count.Day == day)
                {
                    (count.Known, count.Unflushed) = (count.Known - delta, count.Unflushed + delta);
                }
            }

            return null;
        }

        lock (count)
        {
            if (count.Day == day)
            {
                count.Known = Math.Max(count.Known, total);
            }
        }

        return null;
    }

    private static TokenBucketRateLimiter Bucket(int rate) => new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = rate,
        TokensPerPeriod = rate,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private sealed class QuotaCount
    {
        public DateOnly Day { get; set; }

        public long Known { get; set; }

        public long Unflushed { get; set; }

        public DateTimeOffset FlushedAt { get; set; }
    }
}
