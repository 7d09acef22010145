using System.Security.Cryptography;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.History;
using NationalId.RelyingParties;
using NationalId.Security;
using NationalId.Verification;

namespace NationalId.Citizens;

/// <summary>
/// Mandates, held by the principal's grain: who may be verified on the principal's behalf, for which scopes, when.
/// One level only: a use names the principal, and only a delegate the principal named directly may act, so a
/// delegate cannot pass a mandate on. The rules are <see cref="MandateRules"/>.
/// </summary>
public sealed partial class CitizenGrain
{
    public async Task<MandateResult> GrantMandate(MandateGrant grant)
    {
        var now = clock.GetUtcNow();
        if ((Gate(grant.Channel, grant.Device, CitizenAction.GrantMandate, face: null, out var signer, faceRequired: false)
            ?? MandateRules.GrantChannel(grant.Kind, grant.Channel, Citizen.BirthDate, now)) is { } refused)
        {
            return Failed(refused);
        }

        if (grant.Kind != MandateKind.Guardianship)
        {
            // The principal's live face, at a counter and on a phone alike: a stolen, unlocked phone alone grants nothing,
            // and a phone's failed attempts count toward the remote limit.
            var faceProblem = grant.Face is null ? ErrorCodes.FaceRequired
                : grant.Channel == ActionChannel.Device ? await CheckFace(grant.Face, now, FaceAttempts.Remote)
                : FaceRules.Check(Citizen.FaceTemplate, grant.Face, required: true, _facePolicy);
            if (faceProblem is not null)
            {
                return Failed(faceProblem);
            }
        }

        var (badTerms, until) = MandateRules.GrantTerms(grant, Handle, Citizen.BirthDate, Citizen.Mandates, now, _options.MandateMaxDuration, _options.MaxMandates);
        if (badTerms is not null)
        {
            return Failed(badTerms);
        }

        // Whether the delegate is enrolled is told only now, after the principal's own face matched: before, a phone
        // could ask it of any ID number, unlimited and unrecorded.
        if (!(await GrainFactory.GetGrain<ICitizenGrain>(grant.DelegateHandle).GetSummary()).Enrolled)
        {
            return Failed(ErrorCodes.DelegateNotFound);
        }

        DeviceKeys.Accept(signer, grant.Device);
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
        Raise(HistoryKind.MandateGranted, null, ChannelPolicy.Name(grant.Channel), mandate.MandateId);
        await Commit();
        return new MandateResult(null, [View(mandate)]);

        static MandateResult Failed(string code) => new(code, []);
    }

    public async Task<OperationOutcome> RevokeMandate(MandateRevocation revocation)
    {
        // Ending a mandate acts for the whole citizen too: a provisional phone may not.
        if (Gate(revocation.Channel, revocation.Device, CitizenAction.RevokeMandate, face: null, out var signer, faceRequired: false) is { } refused)
        {
            return OperationOutcome.Fail(refused);
        }

        var mandate = Citizen.Mandates.Find(m => m.MandateId == revocation.MandateId);
        var (notThisRevoker, byGuardian) = MandateRules.Revoker(mandate, revocation.Channel, revocation.GuardianHandle);
        var needsFace = ChannelPolicy.For(CitizenAction.RevokeMandate, revocation.Channel).FaceRequired && !byGuardian;
        if ((notThisRevoker ?? FaceRules.Check(Citizen.FaceTemplate, revocation.Face, needsFace, _facePolicy)) is { } problem)
        {
            return OperationOutcome.Fail(problem);
        }

        if (mandate is null)
        {
            return OperationOutcome.Fail(ErrorCodes.MandateNotFound);
        }

        DeviceKeys.Accept(signer, revocation.Device);
        if (!mandate.Revoked)
        {
            mandate.Revoked = true;
            Raise(HistoryKind.MandateRevoked, null, ChannelPolicy.Name(revocation.Channel), $"{mandate.MandateId}: {revocation.Reason}");
        }

        await Commit();
        return OperationOutcome.Ok;
    }

    public Task<MandateResult> ListMandates(DeviceSignedRequest device)
    {
        var problem = Citizen.Enrolled ? Authorize(device, false, out _, consume: false) : ErrorCodes.DeviceSignatureInvalid;
        return Task.FromResult(problem is not null
            ? new MandateResult(problem, [])
            : new MandateResult(null, [.. Citizen.Mandates.OrderByDescending(m => m.GrantedAt).Select(View)]));
    }

    public async Task<CitizenVerificationOutcome> UseMandate(MandateUse use)
    {
        var now = clock.GetUtcNow();
        if (!Citizen.Enrolled)
        {
            return VerificationAnswers.Unrecorded(RejectionReason.MandateNotFound, now);
        }

        if (await relyingParties.AuthorizedScopeAsync(use.RelyingPartyId, use.ScopeName) is not var (rpProvince, scope)
            || await DelegatedAssurance(use, scope, now) is not { } assurance)
        {
            return VerificationAnswers.Unrecorded(RejectionReason.NotAuthorized, now);
        }

        var (reason, mandate) = MandateRules.Use(Citizen.Mandates, use.DelegateHandle, scope, use.Match, Citizen.Locked, now);

        // The principal's own line: who used which mandate is the principal's to see (the delegate's line is in the
        // delegate's history). Its own id: the delegate's line already holds the answer's id.
        var id = Guid.CreateVersion7(now);
        var at = UuidV7.Timestamp(id);
        var result = VerificationAnswers.Decided(Citizen, reason, use.RelyingPartyId, scope, use.Match, id, assurance, at);
        var crossProvince = Citizen.HomeProvince != rpProvince;
        if (reason != RejectionReason.MandateNotFound) // nothing to record for a stranger to the principal
        {
            await Verifications.Append(result, null, use.RelyingPartyId, scope, rpProvince, crossProvince, "mandate", mandate?.MandateId);
        }

        return new CitizenVerificationOutcome(result, crossProvince);
    }

    /// <summary>The assurance the delegate's own history line proves for this use (<see cref="MandateRules.DelegatedAssurance"/>).</summary>
    private async Task<Assurance?> DelegatedAssurance(MandateUse use, ScopePolicy scope, DateTimeOffset now) =>
        UuidV7.IsCursor(use.DelegateVerificationId)
            ? MandateRules.DelegatedAssurance(
                await history.FindVerificationAsync(use.DelegateHandle, use.DelegateVerificationId), use.RelyingPartyId, scope.Name, now, _options.PresentationClockSkew)
            : null;

    private static MandateView View(MandateRecord m) => new(m.MandateId, m.Kind, m.Scopes, m.ValidFrom, m.ValidUntil, m.Revoked, m.GrantedAt);
}
