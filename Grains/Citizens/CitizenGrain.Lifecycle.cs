using Microsoft.Extensions.Logging;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.Events;
using NationalId.History;
using NationalId.Protocol;

namespace NationalId.Citizens;

/// <summary>Lost or misplaced phones, "lock my identity", and reading the history: none of it needs the lost phone.</summary>
public sealed partial class CitizenGrain
{
    private const int MaxHistoryPage = 100;

    public async Task<OperationOutcome> ChangeCredential(CredentialChange change)
    {
        if (!Citizen.Enrolled)
        {
            return OperationOutcome.Fail(change.Channel == ActionChannel.Device ? ErrorCodes.DeviceSignatureInvalid : ErrorCodes.CitizenNotFound);
        }

        var target = Find(change.CredentialId);

        // The device signature comes first: nothing, not even whether a face matches, is told to an unsigned caller.
        CredentialRecord? signer = null;
        if (change.Channel == ActionChannel.Device)
        {
            // A found phone may lift its own suspension (with a live face, checked below); otherwise only an active
            // phone signs for the citizen.
            var allowSuspendedSigner = change.Action == CredentialAction.Resume && target is not null
                && change.Device?.CredentialId.AsSpan().SequenceEqual(target.CredentialId) == true;
            if (AuthorizeDevice(change.Device, allowSuspendedSigner, out signer) is { } deviceProblem)
            {
                return OperationOutcome.Fail(deviceProblem);
            }
        }
        if (target is null)
        {
            return OperationOutcome.Fail(ErrorCodes.CredentialNotFound);
        }

        // A phone bound remotely acts on itself only, until its cooling-off ends: whoever bound it with a stolen face
        // cannot shut the citizen's own phones out, while those phones can cancel it.
        var action = ChannelPolicy.Of(change.Action);
        if (ProvisionalSigner(signer, action, onItself: signer == target) is { } provisional)
        {
            return OperationOutcome.Fail(provisional);
        }

        // Protective actions (suspend) are open to the hotline; lifting or revoking needs the citizen or a counter.
        if (ChannelPolicy.Refusal(action, change.Channel) is { } notAllowed)
        {
            return OperationOutcome.Fail(notAllowed);
        }

        if (FaceProblem(change.Face, ChannelPolicy.For(action, change.Channel).FaceRequired) is { } faceProblem)
        {
            return OperationOutcome.Fail(faceProblem);
        }

        var now = clock.GetUtcNow();
        var (newStatus, kind) = change.Action switch
        {
            CredentialAction.Suspend => (CredentialStatus.Suspended, HistoryKind.Suspended),
            CredentialAction.Resume => (CredentialStatus.Active, HistoryKind.Resumed),
            _ => (CredentialStatus.Revoked, HistoryKind.Revoked),
        };
        if (target.Status == CredentialStatus.Revoked && change.Action != CredentialAction.Revoke)
        {
            return OperationOutcome.Fail(ErrorCodes.CredentialRevoked);
        }

        if (signer is not null)
        {
            signer.LastDeviceRequestMs = change.Device!.TimestampMs;
        }

        if (target.Status != newStatus)
        {
            target.Status = newStatus;
            target.StatusChangedAt = now;
            target.StatusReason = change.Reason;
            Raise(kind, target.CredentialId, Channel(change.Channel), change.Reason);
            if (newStatus == CredentialStatus.Revoked)
            {
                metrics.Revocation(Channel(change.Channel));
            }

            logger.LogInformation("Credential {Action} through channel {Channel}", change.Action, change.Channel);
        }
        else if (signer is null)
        {
            return OperationOutcome.Ok; // nothing changed, nothing to store
        }

        await Commit();
        return OperationOutcome.Ok;
    }

    public async Task<OperationOutcome> SetLocked(IdentityLockChange change)
    {
        if (!Citizen.Enrolled)
        {
            return OperationOutcome.Fail(change.Channel == ActionChannel.Device ? ErrorCodes.DeviceSignatureInvalid : ErrorCodes.CitizenNotFound);
        }

        CredentialRecord? signer = null;
        if (change.Channel == ActionChannel.Device && AuthorizeDevice(change.Device, false, out signer) is { } deviceProblem)
        {
            return OperationOutcome.Fail(deviceProblem);
        }

        var action = change.Locked ? CitizenAction.Lock : CitizenAction.Unlock;
        if (ProvisionalSigner(signer, action) is { } provisional)
        {
            return OperationOutcome.Fail(provisional);
        }

        if (ChannelPolicy.Refusal(action, change.Channel) is { } notAllowed)
        {
            return OperationOutcome.Fail(notAllowed);
        }

        if (FaceProblem(change.Face, ChannelPolicy.For(action, change.Channel).FaceRequired) is { } faceProblem)
        {
            return OperationOutcome.Fail(faceProblem);
        }

        if (signer is not null)
        {
            signer.LastDeviceRequestMs = change.Device!.TimestampMs;
        }

        if (Citizen.Locked != change.Locked)
        {
            Citizen.Locked = change.Locked;
            Raise(change.Locked ? HistoryKind.Locked : HistoryKind.Unlocked, null, Channel(change.Channel), change.Reason);
        }
        else if (signer is null)
        {
            return OperationOutcome.Ok;
        }

        await Commit();
        return OperationOutcome.Ok;
    }

    public async Task<OperationOutcome> RegisterResidence(ResidenceChange change)
    {
        if (!Citizen.Enrolled)
        {
            return OperationOutcome.Fail(change.Channel == ActionChannel.Device ? ErrorCodes.DeviceSignatureInvalid : ErrorCodes.CitizenNotFound);
        }

        CredentialRecord? signer = null;
        if (change.Channel == ActionChannel.Device && AuthorizeDevice(change.Device, false, out signer) is { } deviceProblem)
        {
            return OperationOutcome.Fail(deviceProblem);
        }

        if (ProvisionalSigner(signer, CitizenAction.RegisterResidence) is { } provisional)
        {
            return OperationOutcome.Fail(provisional);
        }

        if (ChannelPolicy.Refusal(CitizenAction.RegisterResidence, change.Channel) is { } notAllowed)
        {
            return OperationOutcome.Fail(notAllowed);
        }

        if (FaceProblem(change.Face, ChannelPolicy.For(CitizenAction.RegisterResidence, change.Channel).FaceRequired) is { } faceProblem)
        {
            return OperationOutcome.Fail(faceProblem);
        }
        if (signer is not null)
        {
            signer.LastDeviceRequestMs = change.Device!.TimestampMs;
        }

        // The history says that the residence changed and through which channel, never which province it is now.
        Citizen.ResidenceProvince = change.Province;
        Raise(HistoryKind.ResidenceRegistered, null, Channel(change.Channel), null);
        await Commit();
        logger.LogInformation("Residence registered through the {Channel} channel", Channel(change.Channel));
        return OperationOutcome.Ok;
    }

    public async Task<bool> Reseal()
    {
        if (!Citizen.Enrolled)
        {
            DeactivateOnIdle();
            return false;
        }

        await Persist();
        DeactivateOnIdle(); // a maintenance pass touches many citizens: do not keep them in memory
        return true;
    }

    public async Task<HistoryPage> ReadHistory(HistoryQuery query)
    {
        if (!Citizen.Enrolled)
        {
            return new HistoryPage(query.Device is not null ? ErrorCodes.DeviceSignatureInvalid : ErrorCodes.CitizenNotFound, []);
        }

        if (query.Before is { } before && !UuidV7.IsCursor(before))
        {
            return new HistoryPage(ErrorCodes.InvalidCursor, []); // refused before anything, an operator's read included, is recorded
        }

        if (query.Device is not null)
        {
            // A read changes nothing, so it needs a valid signature and a fresh timestamp but consumes no counter.
            if (AuthorizeDevice(query.Device, false, out _, consume: false) is { } problem)
            {
                return new HistoryPage(problem, []);
            }
        }
        else if (string.IsNullOrWhiteSpace(query.OperatorReason))
        {
            return new HistoryPage(ErrorCodes.ReasonRequired, []);
        }
        else
        {
            // The operator's read is recorded, durably, before anything is shown: the citizen will see it.
            Raise(HistoryKind.OperatorRead, null, "operator", query.OperatorReason);
            await Commit();
        }

        var records = await history.ReadCitizenAsync(this.GetPrimaryKeyString(), query.Before, Math.Clamp(query.Limit, 1, MaxHistoryPage));
        return new HistoryPage(null, records.Select(r => new HistoryEntry(
            r.EventId, r.RecordedAt, r.Kind, r.CredentialId, r.RelyingPartyId, r.Scope, r.Verified, r.Reason, r.Assurance,
            r.DisclosedAttributes, r.RelyingPartyProvince, r.CrossProvince, r.Channel, r.Note)).ToList());
    }

    public Task<string?> CheckDevice(DeviceSignedRequest request) =>
        Task.FromResult(Citizen.Enrolled ? AuthorizeDevice(request, false, out _, consume: false) : ErrorCodes.DeviceSignatureInvalid);

    public Task<bool> IsActiveCredential(byte[] credentialId) =>
        Task.FromResult(Citizen.Enrolled && Find(credentialId) is { Status: CredentialStatus.Active });

    private static string Channel(ActionChannel channel) => channel switch
    {
        ActionChannel.Device => "device",
        ActionChannel.Counter => "counter",
        _ => "hotline",
    };

    /// <summary>Adds an event to the outbox; it is stored with the change by the next <see cref="Persist"/>.</summary>
    private void Raise(string kind, byte[]? credentialId, string channel, string? note)
    {
        var now = clock.GetUtcNow(); // one reading: the id's timestamp and the time must agree (paging relies on it)

        // The gateway refuses such text (400 invalid_text); a caller that bypassed it must still not produce an event
        // the history cannot store: the event is kept, its note is not.
        if (note is not null && !Api.FreeText.IsValid(note, Api.FreeText.MaxReason))
        {
            note = "(note refused: not valid text)";
        }

        _lastEventId = UuidV7.After(_lastEventId, now); // two events in one millisecond keep their order
        Citizen.Outbox.Add(new PendingEvent
        {
            EventId = _lastEventId,
            Kind = kind,
            At = now,
            CredentialId = credentialId,
            Channel = channel,
            Note = note,
        });
    }

    /// <summary>
    /// Stores the change together with its events (in the outbox), then tries to deliver the events. The change is
    /// acknowledged once stored: if storing fails the call fails and nothing changed (the activation is dropped, so
    /// memory goes back to what storage holds); if only the delivery fails, the call still succeeds and the events
    /// are delivered later. A citizen is therefore never stuck behind an event that cannot be delivered.
    /// </summary>
    private async Task Commit()
    {
        await Persist();
        await TryDeliverOutbox();
    }

    /// <summary>
    /// Delivers the outbox without ever failing the caller: a transient failure leaves the events for a retry (a timer,
    /// or the next activation); an event the history refuses for good is parked (counted, logged without personal
    /// data, dropped from the outbox), so no retry can go on forever and nothing blocks the grain.
    /// </summary>
    private async Task TryDeliverOutbox()
    {
        if (Citizen.Outbox.Count == 0)
        {
            return;
        }

        try
        {
            await DeliverOutbox();
            _outboxRetry?.Dispose();
            _outboxRetry = null;
        }
#pragma warning disable CA1031 // by design: the change is stored; any delivery failure is retried, never answered as one
        catch (Exception ex)
#pragma warning restore CA1031
        {
            metrics.OutboxRetry();
            logger.LogWarning("Delivering {Count} stored events failed; retrying in the background: {Error} {SqlState}",
                Citizen.Outbox.Count, ex.GetType().Name, (ex.InnerException as Npgsql.PostgresException)?.SqlState);
            _outboxRetry ??= this.RegisterGrainTimer(RetryOutbox, OutboxRetryInterval, OutboxRetryInterval);
        }
    }

    private static readonly TimeSpan OutboxRetryInterval = TimeSpan.FromSeconds(5);

    private Task RetryOutbox(CancellationToken cancellationToken) => TryDeliverOutbox();

    /// <summary>
    /// Delivers stored events to the history (idempotently, by event id), publishes those RPs must hear of, then
    /// clears them from the outbox. Throws on a transient failure (the events stay: at least once).
    /// </summary>
    private async Task DeliverOutbox()
    {
        var handle = this.GetPrimaryKeyString();
        var events = Citizen.Outbox.ToList();
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
            var since = clock.GetUtcNow() - _options.EventAudienceWindow;
            var audience = (await history.RelyingPartiesThatVerifiedAsync(handle, since))
                .Select(rp => new AudienceMember(rp, Pseudonyms.For(Citizen.PseudonymSecret, rp)))
                .ToArray();
            var stream = this.GetStreamProvider(EventStreams.Provider).GetStream<CitizenEvent>(StreamId.Create(EventStreams.CitizenEvents, handle));
            foreach (var e in published)
            {
                await stream.OnNextAsync(new CitizenEvent(e.EventId, e.Kind, e.At, audience));
            }
        }

        Citizen.Outbox.RemoveAll(e => events.Contains(e));
        await Persist();
    }

    private static HistoryRecord Line(string handle, PendingEvent e) =>
        new(e.EventId, e.At, handle, e.Kind, e.CredentialId, Channel: e.Channel, Note: e.Note);

    /// <summary>Checks a device-signed request: a known signer in the right status, a valid signature, a fresh time.</summary>
    private string? AuthorizeDevice(DeviceSignedRequest? request, bool allowSuspendedSigner, out CredentialRecord? signer, bool consume = true)
    {
        signer = request is null ? null : Find(request.CredentialId);
        if (signer is null
            || !(signer.Status == CredentialStatus.Active || (allowSuspendedSigner && signer.Status == CredentialStatus.Suspended))
            || !DeviceRequestSignature.Verify(DeviceKey(signer), request!.SignedBytes, request.Signature))
        {
            signer = null;
            return ErrorCodes.DeviceSignatureInvalid;
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (Math.Abs(now - request.TimestampMs) > DeviceRequestSignature.MaxClockSkew.TotalMilliseconds
            || (consume && request.TimestampMs <= signer.LastDeviceRequestMs))
        {
            signer = null;
            return ErrorCodes.DeviceRequestReplayed;
        }

        return null;
    }

    /// <summary>Refuses a signer still in its cooling-off (a remotely bound phone) an action for the whole citizen.</summary>
    private string? ProvisionalSigner(CredentialRecord? signer, CitizenAction action, bool onItself = false) =>
        signer is not null && signer.IsProvisional(clock.GetUtcNow()) && !ChannelPolicy.ProvisionalMay(action, onItself)
            ? ErrorCodes.CredentialProvisional
            : null;

    /// <summary>Null when no face is needed and none given, or when the given face is live and matches (not counted).</summary>
    private string? FaceProblem(FaceSample? face, bool required) => FaceRules.Check(Citizen.FaceTemplate, face, required, _facePolicy);

}
