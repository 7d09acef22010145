using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using NationalId.Protocol;

namespace NationalId.Capture;

/// <summary>
/// Per-silo copy of the trusted capture vendors' public keys, read from the registry grain at most every
/// <see cref="NationalIdOptions.CaptureVendorRefresh"/> (so a revocation is in force on every silo within that bound,
/// and at once on the silo that made it, which calls <see cref="Invalidate"/>). While the registry cannot be reached
/// the last copy serves for one more refresh period; after that nothing is trusted (fail closed: a remote binding then
/// fails with 503 and changes nothing).
/// </summary>
public sealed class CaptureVendorDirectory(IGrainFactory grains, IOptions<NationalIdOptions> options, TimeProvider clock)
{
    private readonly TimeSpan _refresh = options.Value.CaptureVendorRefresh;
    private readonly Lock _gate = new();
    private Snapshot? _last;
    private Task<Snapshot>? _fetch;
    private long _generation;

    /// <summary>The vendor's key parameters, or null when the vendor is unknown or revoked.</summary>
    public async ValueTask<ECParameters?> KeyFor(string vendorId)
    {
        var now = clock.GetUtcNow();
        var last = Volatile.Read(ref _last);
        if (last is null || now - last.FetchedAt > _refresh)
        {
            try
            {
                last = await SharedFetch();
            }
            catch (Exception ex) when (Verification.Verifier.IsSiloFailure(ex) && last is not null && now - last.FetchedAt <= 2 * _refresh)
            {
                // The registry's grain is moving (its silo died): one more period on what this silo knew.
            }
        }

        return last.Keys.TryGetValue(vendorId, out var key) ? key : null;
    }

    /// <summary>Drops this silo's copy (and any read already under way): the next check reads the registry.</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _generation++;
            _fetch = null;
            Volatile.Write(ref _last, null);
        }
    }

    private Task<Snapshot> SharedFetch()
    {
        lock (_gate)
        {
            if (_fetch is { IsCompleted: true })
            {
                _fetch = null;
            }

            return _fetch ??= FetchAndKeep(_generation);
        }
    }

    private async Task<Snapshot> FetchAndKeep(long generation)
    {
        var at = clock.GetUtcNow();
        var vendors = await grains.GetGrain<ICaptureVendorRegistryGrain>(ICaptureVendorRegistryGrain.Key).List();
        var keys = new Dictionary<string, ECParameters>(StringComparer.Ordinal);
        foreach (var vendor in vendors)
        {
            if (vendor.RevokedAt is null && PresentationCodec.TryDecodePoint(vendor.PublicKey, out var parameters))
            {
                keys[vendor.VendorId] = parameters;
            }
        }

        var snapshot = new Snapshot(keys, at);
        lock (_gate)
        {
            if (generation == _generation)
            {
                Volatile.Write(ref _last, snapshot); // not a list read before an invalidation that came after it
            }
        }

        return snapshot;
    }

    private sealed record Snapshot(Dictionary<string, ECParameters> Keys, DateTimeOffset FetchedAt);
}
