using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace NationalId.Telemetry;

/// <summary>
/// Our own instruments (meter "NationalId"). Labels are low-cardinality and never personal: result, reason, sector,
/// cross-province flag, channel. Never an ID number, handle, pseudonym or RP key.
/// </summary>
public sealed class NationalIdMetrics : IDisposable
{
    public const string MeterName = "NationalId";

    private readonly Meter _meter;
    private readonly Counter<long> _verifications;
    private readonly Histogram<double> _verificationDuration;
    private readonly Counter<long> _revocations;
    private readonly Counter<long> _journalBatches;
    private readonly Histogram<long> _journalBatchSize;
    private readonly Counter<long> _placementFallbacks;
    private readonly Counter<long> _verificationRetries;
    private readonly Counter<long> _travelAnomalies;
    private readonly Counter<long> _outboxParked;
    private readonly Counter<long> _outboxRetries;
    private readonly Counter<long> _rateLimited;

    public NationalIdMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _verifications = _meter.CreateCounter<long>("nid.verifications", description: "Verifications answered, by result and reason");
        _verificationDuration = _meter.CreateHistogram<double>(
            "nid.verification.duration",
            unit: "s",
            description: "Time from request to answer of a verification",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _revocations = _meter.CreateCounter<long>("nid.revocations", description: "Credentials revoked, by channel");
        _journalBatches = _meter.CreateCounter<long>("nid.history.batches", description: "Group commits of the verification history");
        _journalBatchSize = _meter.CreateHistogram<long>("nid.history.batch.size", description: "Records per group commit");
        _placementFallbacks = _meter.CreateCounter<long>(
            "nid.placement.fallbacks", description: "Grains placed outside their home region because it had no live silo, by home region");
        _travelAnomalies = _meter.CreateCounter<long>(
            "nid.travel.anomalies", description: "Credentials verified in two provinces too far apart for the time between, by action taken");
        _outboxParked = _meter.CreateCounter<long>(
            "nid.outbox.parked", description: "Citizen events the history refused for good (never retried, never blocking the citizen), by kind");
        _rateLimited = _meter.CreateCounter<long>("nid.rate_limited", description: "Requests refused by a per-source limit, by limit (wallet, rp_authentication)");
        _outboxRetries = _meter.CreateCounter<long>(
            "nid.outbox.retries", description: "Deliveries of stored citizen events that failed for a transient reason and were left to a retry");
        _verificationRetries = _meter.CreateCounter<long>(
            "nid.verification.retries", description: "Verifications sent again because the silo holding the citizen failed mid-call");
    }

    public void Verification(bool verified, string? reason, string sector, bool crossProvince, double seconds)
    {
        var tags = new TagList
        {
            { "result", verified ? "verified" : "rejected" },
            { "reason", reason ?? "none" },
            { "sector", sector },
            { "cross_province", crossProvince ? "true" : "false" },
        };
        _verifications.Add(1, tags);
        _verificationDuration.Record(seconds, new KeyValuePair<string, object?>("result", verified ? "verified" : "rejected"));
    }

    public void Revocation(string channel) => _revocations.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public void HistoryBatch(int size)
    {
        _journalBatches.Add(1);
        _journalBatchSize.Record(size);
    }

    public void PlacementFallback(string region) => _placementFallbacks.Add(1, new KeyValuePair<string, object?>("region", region));

    public void VerificationRetry() => _verificationRetries.Add(1);

    public void TravelAnomaly(bool suspended) => _travelAnomalies.Add(1, new KeyValuePair<string, object?>("action", suspended ? "suspended" : "notified"));

    /// <summary>The kind is one of <see cref="History.HistoryKind"/>'s constants: a closed set, nothing personal.</summary>
    public void OutboxParked(string kind) => _outboxParked.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void OutboxRetry() => _outboxRetries.Add(1);

    public void RateLimited(string limit) => _rateLimited.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void Dispose() => _meter.Dispose();
}
