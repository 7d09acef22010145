using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace NationalId.Events;

/// <summary>
/// Implicit subscriber of each RP's change stream: tells every active silo to drop its cached policy of that RP.
/// A silo that misses the message (it is starting, or dies) still drops the entry when its TTL runs out.
/// </summary>
[ImplicitStreamSubscription(EventStreams.RelyingPartyChanges)]
[GrainType("relying-party-change")]
public sealed class RelyingPartyChangeGrain(ILogger<RelyingPartyChangeGrain> logger) : Grain, IRelyingPartyChangeGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(EventStreams.Provider)
            .GetStream<RelyingPartyChanged>(StreamId.Create(EventStreams.RelyingPartyChanges, this.GetPrimaryKeyString()));
        await stream.SubscribeAsync(OnChanged);
    }

    private async Task OnChanged(RelyingPartyChanged change, StreamSequenceToken? token)
    {
        var silos = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        await Task.WhenAll(silos.Keys.Select(silo =>
            GrainFactory.GetGrain<ISiloPolicyCacheGrain>(SiloPinnedPlacement.KeyFor(silo)).Invalidate(change.RelyingPartyId)));
        logger.LogInformation("Relying party policy version {Version} pushed to {Silos} silos", change.Version, silos.Count);
    }
}
