using Microsoft.Extensions.DependencyInjection;
using NationalId.Events;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace NationalId.Placement;

public static class PlacementHosting
{
    /// <summary>
    /// Our placements: citizens and RPs in their region (<see cref="RegionalPlacement"/>, the silo's region announced
    /// in its metadata), per-silo grains on their silo (<see cref="SiloPinnedPlacement"/>). A silo without a region
    /// takes grains of any region.
    /// </summary>
    public static ISiloBuilder AddNationalIdPlacement(this ISiloBuilder silo, string? region)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(region))
        {
            metadata[RegionMap.MetadataKey] = region.Trim();
        }

        silo.UseSiloMetadata(metadata);
        silo.Services.AddSingleton<RegionMap>();
        silo.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        silo.AddPlacementDirector<RegionalPlacement, RegionalPlacementDirector>();
        return silo;
    }
}
