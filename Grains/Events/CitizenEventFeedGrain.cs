using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace NationalId.Events;

/// <summary>
/// Implicit subscriber of each citizen's event stream: writes each event into the feed of every RP in its audience.
/// If a write fails the stream redelivers (at least once); the feed ignores an event it already holds.
/// </summary>
[ImplicitStreamSubscription(EventStreams.CitizenEvents)]
[GrainType("citizen-event-feed")]
public sealed class CitizenEventFeedGrain(IRelyingPartyFeed feed, ILogger<CitizenEventFeedGrain> logger) : Grain, ICitizenEventFeedGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(EventStreams.Provider)
            .GetStream<CitizenEvent>(StreamId.Create(EventStreams.CitizenEvents, this.GetPrimaryKeyString()));
        await stream.SubscribeAsync(OnEvent);
    }

    private async Task OnEvent(CitizenEvent citizenEvent, StreamSequenceToken? token)
    {
        foreach (var member in citizenEvent.Audience)
        {
            await feed.AppendAsync(member.RelyingPartyId, citizenEvent, member.Pseudonym);
        }

        logger.LogDebug("Event {Kind} fanned out to {Count} relying parties", citizenEvent.Kind, citizenEvent.Audience.Length);
    }
}
