using NationalId.Telemetry;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace NationalId.Placement;

/// <summary>
/// Places a grain on a silo of the region its key belongs to (<see cref="RegionMap.RegionOfKey"/>), whichever silo
/// asked for the activation.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.RegionalPlacement")]
public sealed class RegionalPlacement : PlacementStrategy
{
    public static RegionalPlacement Instance { get; } = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RegionalPlacementAttribute() : PlacementAttribute(RegionalPlacement.Instance);

/// <summary>
/// Chooses a compatible silo whose metadata names the key's region: the placing silo itself when it is one of them
/// (no extra hop), else one at random. When the region has no live silo the grain goes to a random silo of another
/// region and the fallback is counted (<c>nid.placement.fallbacks</c>): serving the citizen from afar beats not
/// serving them. Such an activation stays where it is until it is idle and collected; the next activation returns
/// home. Silos without a region (a single development silo) take any grain, and a cluster where no silo has a region
/// places at random without counting fallbacks.
/// </summary>
public sealed class RegionalPlacementDirector(RegionMap regions, ISiloMetadataCache metadata, NationalIdMetrics metrics) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        var region = regions.RegionOfKey(target.GrainIdentity.Key.ToString());
        if (region is null)
        {
            return Task.FromResult(Pick(silos, context.LocalSilo));
        }

        List<SiloAddress>? home = null;
        var anyRegional = false;
        foreach (var silo in silos)
        {
            if (metadata.GetSiloMetadata(silo).Metadata.TryGetValue(RegionMap.MetadataKey, out var siloRegion) && !string.IsNullOrEmpty(siloRegion))
            {
                anyRegional = true;
                if (siloRegion == region)
                {
                    (home ??= []).Add(silo);
                }
            }
        }

        if (home is not null)
        {
            return Task.FromResult(Pick(home, context.LocalSilo));
        }

        if (anyRegional)
        {
            metrics.PlacementFallback(region);
        }

        return Task.FromResult(Pick(silos, context.LocalSilo));
    }

    private static SiloAddress Pick(IReadOnlyList<SiloAddress> silos, SiloAddress local)
    {
        foreach (var silo in silos)
        {
            if (silo.Equals(local))
            {
                return local;
            }
        }

#pragma warning disable CA5394 // spreading grains over the region's silos, not a secret
        return silos[Random.Shared.Next(silos.Count)];
#pragma warning restore CA5394
    }
}
