using Microsoft.Extensions.Logging;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.History;

namespace NationalId.Citizens;

/// <summary>
/// The citizen's own changes, from their phone, a counter or the hotline: lost or found phones, "lock my identity",
/// the residence, and reading the history. None of it needs the lost phone. Who may do what is
/// <see cref="ChannelPolicy"/>'s table.
/// </summary>
public sealed partial class CitizenGrain
{
    private const int MaxHistoryPage = 100;

    public async Task<OperationOutcome> ChangeCredential(CredentialChange change)
    {
        if (!Citizen.Enrolled)
        {
            return OperationOutcome.Fail(DeviceRules.UnknownCitizen(change.Channel));
        }

        // A found phone may lift its own suspension (with a live face); otherwise only an active phone signs.
        var target = Citizen.FindCredential(change.CredentialId);
        var resumesItself = change.Action == CredentialAction.Resume && target is not null
            && change.Device?.CredentialId.AsSpan().SequenceEqual(target.CredentialId) == true;
        if (SignedBy(change.Channel, change.Device, out var signer, allowSuspendedSigner: resumesItself) is { } deviceProblem)
        {
            return OperationOutcome.Fail(deviceProblem);
        }

        if (target is null)
        {
            return OperationOutcome.Fail(ErrorCodes.CredentialNotFound);
        }

        // Protective actions (suspend) are open to the hotline; lifting or revoking needs the citizen or a counter.
        if (Permitted(signer, ChannelPolicy.Of(change.Action), change.Channel, change.Face, onItself: signer == target) is { } refused)
        {
            return OperationOutcome.Fail(refused);
        }

        if (target.Status == CredentialStatus.Revoked && change.Action != CredentialAction.Revoke)
        {
            return OperationOutcome.Fail(ErrorCodes.CredentialRevoked);
        }

        DeviceKeys.Accept(signer, change.Device);
        var (newStatus, kind) = ChannelPolicy.Outcome(change.Action);
        if (target.Status != newStatus)
        {
            target.Status = newStatus;
            target.StatusChangedAt = clock.GetUtcNow();
            target.StatusReason = change.Reason;
            Raise(kind, target.CredentialId, ChannelPolicy.Name(change.Channel), change.Reason);
            if (newStatus == CredentialStatus.Revoked)
            {
                metrics.Revocation(ChannelPolicy.Name(change.Channel));
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
        var action = change.Locked ? CitizenAction.Lock : CitizenAction.Unlock;
        if (Gate(change.Channel, change.Device, action, change.Face, out var signer) is { } refused)
        {
            return OperationOutcome.Fail(refused);
        }

        DeviceKeys.Accept(signer, change.Device);
        if (Citizen.Locked != change.Locked)
        {
            Citizen.Locked = change.Locked;
            Raise(change.Locked ? HistoryKind.Locked : HistoryKind.Unlocked, null, ChannelPolicy.Name(change.Channel), change.Reason);
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
        if (Gate(change.Channel, change.Device, CitizenAction.RegisterResidence, change.Face, out var signer) is { } refused)
        {
            return OperationOutcome.Fail(refused);
        }

        // The history says that the residence changed and through which channel, never which province it is now.
        DeviceKeys.Accept(signer, change.Device);
        Citizen.ResidenceProvince = change.Province;
        Raise(HistoryKind.ResidenceRegistered, null, ChannelPolicy.Name(change.Channel), null);
        await Commit();
        logger.LogInformation("Residence registered through the {Channel} channel", ChannelPolicy.Name(change.Channel));
        return OperationOutcome.Ok;
    }

    public async Task<HistoryPage> ReadHistory(HistoryQuery query)
    {
        // A cursor is checked before anything, an operator's read included, is recorded. A phone's read changes
        // nothing, so it needs a valid signature and a fresh timestamp but consumes no counter; an operator's needs a reason.
        var refused = !Citizen.Enrolled ? (query.Device is not null ? ErrorCodes.DeviceSignatureInvalid : ErrorCodes.CitizenNotFound)
            : query.Before is { } before && !UuidV7.IsCursor(before) ? ErrorCodes.InvalidCursor
            : query.Device is not null ? Authorize(query.Device, false, out _, consume: false)
            : string.IsNullOrWhiteSpace(query.OperatorReason) ? ErrorCodes.ReasonRequired
            : null;
        if (refused is not null)
        {
            return new HistoryPage(refused, []);
        }

        if (query.Device is null)
        {
            // The operator's read is recorded, durably, before anything is shown: the citizen will see it.
            Raise(HistoryKind.OperatorRead, null, "operator", query.OperatorReason);
            await Commit();
        }

        var records = await history.ReadCitizenAsync(Handle, query.Before, Math.Clamp(query.Limit, 1, MaxHistoryPage));
        return new HistoryPage(null, records.Select(r => r.ToEntry()).ToList());
    }
}
