using NationalId.RelyingParties;

namespace NationalId.Events;

/// <summary>Reaches the <see cref="RelyingPartyDirectory"/> of the silo it is pinned to.</summary>
[SiloPinnedPlacement]
[GrainType("silo-policy-cache")]
public sealed class SiloPolicyCacheGrain(RelyingPartyDirectory directory) : Grain, ISiloPolicyCacheGrain
{
    public Task Invalidate(string relyingPartyId)
    {
        directory.Invalidate(relyingPartyId);
        return Task.CompletedTask;
    }
}
