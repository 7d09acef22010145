using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.History;
using NationalId.Protocol;
using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Citizens;

/// <summary>
/// A relying party verifying a phone's presentation (docs/protocol.md §5), the hot path: the RP's scope, the
/// credential, the device signature, the presentation's time, single use, then the rules' decision and one line.
/// </summary>
public sealed partial class CitizenGrain
{
    private VerificationLog? _verifications;
    private TravelWatch? _travel;

    private VerificationLog Verifications => _verifications ??= new VerificationLog(Handle, history, ServiceProvider.GetService<Statutory.StatutorySealer>(), _options, logger);

    public async Task<CitizenVerificationOutcome> Verify(CitizenVerification message)
    {
        var now = clock.GetUtcNow();
        if (await relyingParties.AuthorizedScopeAsync(message.RelyingPartyId, message.ScopeName) is not var (rpProvince, authorizedScope))
        {
            return VerificationAnswers.Unrecorded(RejectionReason.NotAuthorized, now);
        }

        var request = new AuthorizedVerification(message, rpProvince, authorizedScope);
        var crossProvince = Citizen.Enrolled && Citizen.HomeProvince != request.RelyingPartyProvince;
        var credential = Citizen.Enrolled ? Citizen.FindCredential(request.CredentialId) : null;
        if (credential is null)
        {
            // Nothing to record against: an unknown credential tells us nothing about a real citizen.
            return VerificationAnswers.Unrecorded(RejectionReason.UnknownCredential, now);
        }

        // The signature comes first: a forged QR learns nothing about the credential's status.
        var signed = DeviceRequestSignature.Verify(_deviceKeys.For(credential), request.SignedBytes, request.Signature);
        if (VerificationRules.Presentation(signed, request.IssuedAt, now, _options.PresentationClockSkew) is { } invalid)
        {
            return await Record(request, invalid, consumedNonce: false);
        }

        // A decided verification is recorded under the gateway's id, at that id's time (paging by id stays ordered
        // by time); a retry of the same id after a lost answer finds it and gets the same answer, not "replayed".
        var verificationId = VerificationLog.IdFor(request.VerificationId, now);
        var replay = await Verifications.Window(now);
        if (!replay.TryConsume(request.Nonce, now, verificationId, out var consumedBy))
        {
            if (consumedBy == verificationId && await Verifications.Find(verificationId) is { } recorded)
            {
                return new CitizenVerificationOutcome(Repeat(request.RelyingPartyId, request.Scope, request.Match, recorded), crossProvince);
            }

            return await Record(request, RejectionReason.Replayed, consumedNonce: false);
        }

        var (reason, assurance) = VerificationRules.Decide(
            new VerificationFacts(credential.Status, credential.Assurance, Citizen.Locked, request.Scope, request.Face, request.Match),
            Citizen.FaceTemplate, _facePolicy);
        if (reason is null && await TravelCheck(credential, request.RelyingPartyProvince, now) is { } travel)
        {
            reason = travel;
        }

        if (reason is not null)
        {
            return await Record(request, reason, consumedNonce: true, verificationId);
        }

        var result = VerificationAnswers.Verified(Citizen, request.RelyingPartyId, request.Scope, request.Match, verificationId, assurance, UuidV7.Timestamp(verificationId));
        var registration = Verifications.Registration(Citizen, request.Scope, request.RelyingPartyId, request.RelyingPartyProvince, result);
        var replayed = await Verifications.Append(request, result, [.. result.Attributes.Keys], crossProvince, consumedNonce: true, registration);
        return new CitizenVerificationOutcome(replayed ?? result, crossProvince);
    }

    /// <summary>
    /// Flags a verification nobody could have travelled to in time from the credential's last one
    /// (<see cref="TravelWatch"/>): the citizen's phones hear of it and, by policy, the credential is suspended and
    /// this verification refused.
    /// </summary>
    private async Task<string?> TravelCheck(CredentialRecord credential, string province, DateTimeOffset now)
    {
        if ((_travel ??= new TravelWatch()).Seen(credential.CredentialId, province, now) is not { } anomaly)
        {
            return null;
        }

        Raise(HistoryKind.TravelAnomaly, credential.CredentialId, "system", anomaly.Note);
        metrics.TravelAnomaly(_options.SuspendOnTravelAnomaly);
        string? refusal = null;
        if (_options.SuspendOnTravelAnomaly)
        {
            credential.Status = CredentialStatus.Suspended;
            credential.StatusChangedAt = now;
            credential.StatusReason = "travel_anomaly";
            Raise(HistoryKind.Suspended, credential.CredentialId, "system", "travel_anomaly");
            refusal = RejectionReason.Suspended;
        }

        await Commit();
        logger.LogWarning("Travel anomaly on a credential; suspended: {Suspended}", _options.SuspendOnTravelAnomaly);
        return refusal;
    }

    private Task<CitizenVerificationOutcome> Record(AuthorizedVerification request, string reason, bool consumedNonce, Guid? verificationId = null) =>
        Verifications.Refuse(request, reason, Citizen.HomeProvince != request.RelyingPartyProvince, consumedNonce, verificationId, clock.GetUtcNow());

    private VerificationResult Repeat(string relyingPartyId, ScopePolicy scope, MatchRequest? match, HistoryRecord recorded) =>
        VerificationAnswers.Repeat(Citizen, relyingPartyId, scope, match, recorded);
}
