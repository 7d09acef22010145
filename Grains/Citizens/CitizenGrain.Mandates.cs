using System.Security.Cryptography;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.History;
using NationalId.Security;
using NationalId.Verification;

namespace NationalId.Citizens;

/// <summary>
/// Mandates, held by the principal's grain: who may be verified on the principal's behalf, for which scopes, when.
/// One level only: a use names the principal, and only a delegate the principal named directly may act, so a
/// delegate cannot pass a mandate on.
/// </summary>
public sealed partial class CitizenGrain
{
    public async Task<MandateResult> GrantMandate(MandateGrant grant)
    {
        if (!Citizen.Enrolled)
        {
            return Failed(grant.Channel == ActionChannel.Device ? ErrorCodes.DeviceSignatureInvalid : ErrorCodes.CitizenNotFound);
        }

        CredentialRecord? signer = null;
        if (grant.Channel == ActionChannel.Device && AuthorizeDevice(grant.Device, false, out signer) is { } deviceProblem)
        {
            return Failed(deviceProblem);
        }

        if (ProvisionalSigner(signer, CitizenAction.GrantMandate) is { } provisional)
        {
            return Failed(provisional);
        }

        if (ChannelPolicy.Refusal(CitizenAction.GrantMandate, grant.Channel) is { } notAllowed)
        {
            return Failed(notAllowed);
        }

        var now = clock.GetUtcNow();
        // Created at a counter, where the guardian's face was matched on the guardian's own grain.
        if (grant.Kind == MandateKind.Guardianship && grant.Channel != ActionChannel.Counter)
        {
            return Failed(ErrorCodes.ChannelNotAllowed);
        }

        // A minor's affairs go through a guardianship; an adult principal is present (counter) or signs.
        if (MandateRules.Principal(grant.Kind, MandateRules.IsUnder16(Citizen.BirthDate, now)) is { } notThisPrincipal)
        {
            return Failed(notThisPrincipal);
        }

        if (grant.Kind != MandateKind.Guardianship)
        {
            // The principal's live face, at a counter and on a phone alike: a stolen, unlocked phone alone grants nothing,
            // and a phone's failed attempts count toward the remote limit.
            if (grant.Face is null)
            {
                return Failed(ErrorCodes.FaceRequired);
            }

            var faceProblem = grant.Channel == ActionChannel.Device
                ? await CheckFace(grant.Face, now, RemoteChannel)
                : FaceProblem(grant.Face, required: true);
            if (faceProblem is not null)
            {
                return Failed(faceProblem);
            }
        }

        if (grant.DelegateHandle == this.GetPrimaryKeyString())
        {
            return Failed(ErrorCodes.InvalidMandate);
        }

        if (MandateRules.Until(grant.Kind, grant.ValidFrom, grant.ValidUntil, MandateRules.SixteenthBirthday(Citizen.BirthDate), now, _options.MandateMaxDuration) is not { } until)
        {
            return Failed(ErrorCodes.InvalidMandatePeriod);
        }

        if (Citizen.Mandates.Count(m => !m.Revoked && m.ValidUntil > now) >= _options.MaxMandates)
        {
            return Failed(ErrorCodes.MandateLimitReached);
        }

        // Whether the delegate is enrolled is told only now, after the principal's own face matched: before, a phone
        // could ask it of any ID number, unlimited and unrecorded.
        if (!(await GrainFactory.GetGrain<ICitizenGrain>(grant.DelegateHandle).GetSummary()).Enrolled)
        {
            return Failed(ErrorCodes.DelegateNotFound);
        }
        if (signer is not null)
        {
            signer.LastDeviceRequestMs = grant.Device!.TimestampMs;
        }

        var mandate = new MandateRecord
        {
            MandateId = "m-" + Base32.Encode(RandomNumberGenerator.GetBytes(10)),
            DelegateHandle = grant.DelegateHandle,
            Kind = grant.Kind,
            Scopes = [.. grant.Scopes.Distinct(StringComparer.Ordinal)],
            ValidFrom = grant.ValidFrom,
            ValidUntil = until,
            GrantedAt = now,
        };
        Citizen.Mandates.RemoveAll(m => m.ValidUntil < now - TimeSpan.FromDays(365)); // long over: the history keeps them
        Citizen.Mandates.Add(mandate);
        Raise(HistoryKind.MandateGranted, null, Channel(grant.Channel), mandate.MandateId);
        await Commit();
        return new MandateResult(null, [View(mandate)]);

        static MandateResult Failed(string code) => new(code, []);
    }

    public async Task<OperationOutcome> RevokeMandate(MandateRevocation revocation)
    {
        if (!Citizen.Enrolled)
        {
            return OperationOutcome.Fail(revocation.Channel == ActionChannel.Device ? ErrorCodes.DeviceSignatureInvalid : ErrorCodes.CitizenNotFound);
        }

        CredentialRecord? signer = null;
        if (revocation.Channel == ActionChannel.Device && AuthorizeDevice(revocation.Device, false, out signer) is { } deviceProblem)
        {
            return OperationOutcome.Fail(deviceProblem);
        }

        if (ProvisionalSigner(signer, CitizenAction.RevokeMandate) is { } provisional)
        {
            return OperationOutcome.Fail(provisional); // ending a mandate acts for the whole citizen too
        }

        if (ChannelPolicy.Refusal(CitizenAction.RevokeMandate, revocation.Channel) is { } notAllowed)
        {
            return OperationOutcome.Fail(notAllowed);
        }

        // At a counter: the principal's face, or, for a guardianship (the minor may be absent), the guardian's,
        // which the gateway matched on the guardian's grain before asking (then no face comes here).
        var mandate = Citizen.Mandates.Find(m => m.MandateId == revocation.MandateId);
        var byGuardian = revocation.Channel == ActionChannel.Counter && revocation.GuardianHandle is not null
            && mandate is { Kind: MandateKind.Guardianship } && mandate.DelegateHandle == revocation.GuardianHandle;
        if (revocation.GuardianHandle is not null && !byGuardian)
        {
            return OperationOutcome.Fail(ErrorCodes.MandateNotFound);
        }

        // A ward cannot end their own guardianship: only the guardian (at a counter, with their face) can.
        if (mandate is { Kind: MandateKind.Guardianship } && !byGuardian)
        {
            return OperationOutcome.Fail(ErrorCodes.ChannelNotAllowed);
        }

        var needsFace = ChannelPolicy.For(CitizenAction.RevokeMandate, revocation.Channel).FaceRequired && !byGuardian;
        if (FaceProblem(revocation.Face, needsFace) is { } faceProblem)
        {
            return OperationOutcome.Fail(faceProblem);
        }

        if (mandate is null)
        {
            return OperationOutcome.Fail(ErrorCodes.MandateNotFound);
        }
        if (signer is not null)
        {
            signer.LastDeviceRequestMs = revocation.Device!.TimestampMs;
        }

        if (!mandate.Revoked)
        {
            mandate.Revoked = true;
            Raise(HistoryKind.MandateRevoked, null, Channel(revocation.Channel), $"{mandate.MandateId}: {revocation.Reason}");
        }

        await Commit();
        return OperationOutcome.Ok;
    }

    public Task<MandateResult> ListMandates(DeviceSignedRequest device)
    {
        var problem = Citizen.Enrolled ? AuthorizeDevice(device, false, out _, consume: false) : ErrorCodes.DeviceSignatureInvalid;
        if (problem is not null)
        {
            return Task.FromResult(new MandateResult(problem, []));
        }

        return Task.FromResult(new MandateResult(null, [.. Citizen.Mandates.OrderByDescending(m => m.GrantedAt).Select(View)]));
    }

    public async Task<CitizenVerificationOutcome> UseMandate(MandateUse use)
    {
        var now = clock.GetUtcNow();
        if (!Citizen.Enrolled)
        {
            return new CitizenVerificationOutcome(VerificationResult.Rejected(RejectionReason.MandateNotFound, now), false);
        }

        if (await AuthorizedScope(use.RelyingPartyId, use.ScopeName) is not var (rpProvince, scope)
            || await DelegatedAssurance(use, scope, now) is not { } assurance)
        {
            return new CitizenVerificationOutcome(VerificationResult.Rejected(RejectionReason.NotAuthorized, now), false);
        }

        var (reason, mandate) = MandateRules.Use(Citizen.Mandates, use.DelegateHandle, scope, use.Match, Citizen.Locked, now);

        // The principal's own line: who used which mandate is the principal's to see (the delegate's line is in the
        // delegate's history). Its own id: the delegate's line already holds the answer's id.
        var id = Guid.CreateVersion7(now);
        var at = UuidV7.Timestamp(id);
        var result = reason is null
            ? Verified(use.RelyingPartyId, scope, use.Match, id, assurance, at)
            : VerificationResult.Rejected(reason, at) with { VerificationId = id };
        var crossProvince = Citizen.HomeProvince != rpProvince;
        if (reason != RejectionReason.MandateNotFound) // nothing to record for a stranger to the principal
        {
            await history.AppendAsync(new HistoryRecord(
                id, at, this.GetPrimaryKeyString(), HistoryKind.Verification, null, null, use.RelyingPartyId, scope.Name,
                result.Verified, result.Reason, (short)result.Assurance, [.. result.Attributes.Keys], rpProvince,
                crossProvince, "mandate", mandate?.MandateId));
        }

        return new CitizenVerificationOutcome(result, crossProvince);
    }

    /// <summary>The assurance the delegate's own history line proves for this use (<see cref="MandateRules.DelegatedAssurance"/>).</summary>
    private async Task<Assurance?> DelegatedAssurance(MandateUse use, RelyingParties.ScopePolicy scope, DateTimeOffset now) =>
        UuidV7.IsCursor(use.DelegateVerificationId)
            ? MandateRules.DelegatedAssurance(
                await history.FindVerificationAsync(use.DelegateHandle, use.DelegateVerificationId), use.RelyingPartyId, scope.Name, now, _options.PresentationClockSkew)
            : null;

    private static MandateView View(MandateRecord m) => new(m.MandateId, m.Kind, m.Scopes, m.ValidFrom, m.ValidUntil, m.Revoked, m.GrantedAt);
}
