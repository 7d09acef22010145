using Microsoft.Extensions.Logging;
using NationalId.Citizens.Rules;
using NationalId.Events;
using NationalId.History;
using NationalId.Telemetry;

namespace NationalId.Citizens;

/// <summary>
/// The citizen's one commit path. A change raises its events into the state's outbox; <see cref="Commit"/> stores the
/// change and its events in one write, then delivers the events to the history and to the RPs' event stream. The
/// change is acknowledged once stored: if storing fails the call fails and nothing changed (the activation is
/// dropped, so memory goes back to what storage holds); if only the delivery fails the call still succeeds and the
/// events are delivered later (a timer, or the next activation). A citizen is never stuck behind an event.
/// </summary>
internal sealed class CitizenOutbox(
    Grain grain,
    IPersistentState<CitizenState> state,
    IAccessHistory history,
    NationalIdOptions options,
    NationalIdMetrics metrics,
    TimeProvider clock,
    ILogger logger)
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    private IGrainTimer? _retry;
    private Guid _lastEventId;

    private List<PendingEvent> Pending => state.State.Outbox;

    /// <summary>Adds an event to the outbox; it is stored with the change by the next <see cref="Commit"/>.</summary>
    public void Raise(string kind, byte[]? credentialId, string channel, string? note)
    {
        var now = clock.GetUtcNow(); // one reading: the id's timestamp and the time must agree (paging relies on it)

        // The gateway refuses such text (400 invalid_text); a caller that bypassed it must still not produce an event
        // the history cannot store: the event is kept, its note is not.
        if (note is not null && !Api.FreeText.IsValid(note, Api.FreeText.MaxReason))
        {
            note = "(note refused: not valid text)";
        }

        _lastEventId = UuidV7.After(_lastEventId, now); // two events in one millisecond keep their order
        Pending.Add(new PendingEvent { EventId = _lastEventId, Kind = kind, At = now, CredentialId = credentialId, Channel = channel, Note = note });
    }

    /// <summary>Stores the change with its events, then tries to deliver them (never failing the caller for that).</summary>
    public async Task Commit()
    {
        await Persist();
        await TryDeliver();
    }

    /// <summary>
    /// Writes the state; if the write fails the activation is dropped, so the next call reloads what storage really
    /// holds instead of answering from a change that was never stored.
    /// </summary>
    public async Task Persist()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>
    /// Delivers the outbox without ever failing the caller: a transient failure leaves the events for a retry; an event
    /// the history refuses for good is parked (counted, logged without personal data, dropped from the outbox), so no
    /// retry goes on forever and nothing blocks the grain.
    /// </summary>
    public async Task TryDeliver()
    {
        if (Pending.Count == 0)
        {
            return;
        }

        try
        {
            await Deliver();
            _retry?.Dispose();
            _retry = null;
        }
#pragma warning disable CA1031 // by design: the change is stored; any delivery failure is retried, never answered as one
        catch (Exception ex)
#pragma warning restore CA1031
        {
            metrics.OutboxRetry();
            logger.LogWarning("Delivering {Count} stored events failed; retrying in the background: {Error} {SqlState}",
                Pending.Count, ex.GetType().Name, (ex.InnerException as Npgsql.PostgresException)?.SqlState);
            _retry ??= grain.RegisterGrainTimer(_ => TryDeliver(), RetryInterval, RetryInterval);
        }
    }

    /// <summary>
    /// Delivers stored events to the history (idempotently, by event id), publishes those RPs must hear of, then
    /// clears them from the outbox. Throws on a transient failure (the events stay: at least once).
    /// </summary>
    private async Task Deliver()
    {
        var handle = grain.GetPrimaryKeyString();
        var events = Pending.ToList();
        var parked = new List<PendingEvent>();
        try
        {
            await history.AppendEventsAsync(events.Select(e => Line(handle, e)).ToList());
        }
        catch (HistoryRejectedException)
        {
            // One of them cannot be stored, ever: deliver each alone and park the ones refused alone.
            foreach (var e in events)
            {
                try
                {
                    await history.AppendEventsAsync([Line(handle, e)]);
                }
                catch (HistoryRejectedException)
                {
                    parked.Add(e);
                    metrics.OutboxParked(e.Kind);
                    logger.LogError("The history refused event {EventId} ({Kind}) for good; parked, not retried", e.EventId, e.Kind);
                }
            }
        }

        // RPs that keep offline caches hear of status changes of citizens they verified, each by its own pseudonym.
        var published = events.Where(e => HistoryKind.PublishedToRelyingParties(e.Kind) && !parked.Contains(e)).ToList();
        if (published.Count > 0)
        {
            var since = clock.GetUtcNow() - options.EventAudienceWindow;
            var audience = (await history.RelyingPartiesThatVerifiedAsync(handle, since))
                .Select(rp => new AudienceMember(rp, Pseudonyms.For(state.State.PseudonymSecret, rp)))
                .ToArray();
            var stream = grain.GetStreamProvider(EventStreams.Provider).GetStream<CitizenEvent>(StreamId.Create(EventStreams.CitizenEvents, handle));
            foreach (var e in published)
            {
                await stream.OnNextAsync(new CitizenEvent(e.EventId, e.Kind, e.At, audience));
            }
        }

        Pending.RemoveAll(events.Contains);
        await Persist();
    }

    private static HistoryRecord Line(string handle, PendingEvent e) =>
        new(e.EventId, e.At, handle, e.Kind, e.CredentialId, Channel: e.Channel, Note: e.Note);
}
