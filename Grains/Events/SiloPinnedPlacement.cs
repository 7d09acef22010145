using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace NationalId.Events;

/// <summary>
/// Places a grain on the silo whose address is its key (see <see cref="KeyFor"/>), so "the grain of silo X" is a way
/// to call code on silo X. If that silo is gone the grain lands anywhere and does no harm.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.SiloPinnedPlacement")]
public sealed class SiloPinnedPlacement : PlacementStrategy
{
    public static SiloPinnedPlacement Instance { get; } = new();

    public static string KeyFor(SiloAddress silo) => "silo/" + silo.ToParsableString();
}

/// <summary>Puts the grain on the silo named by its key.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPinnedPlacementAttribute() : PlacementAttribute(SiloPinnedPlacement.Instance);

/// <summary>Chooses the silo named in the grain key when it is a compatible silo, else any compatible silo.</summary>
public sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        var key = target.GrainIdentity.Key.ToString();
        if (key is not null && key.StartsWith("silo/", StringComparison.Ordinal))
        {
            var named = SiloAddress.FromParsableString(key["silo/".Length..]);
            if (silos.Contains(named))
            {
                return Task.FromResult(named);
            }
        }

#pragma warning disable CA5394 // spreading load over silos, not a secret
        return Task.FromResult(silos[Random.Shared.Next(silos.Length)]);
#pragma warning restore CA5394
    }
}
