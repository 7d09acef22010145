using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.History;
using NationalId.IdNumbers;
using NationalId.Placement;
using NationalId.Protocol;
using NationalId.RelyingParties;
using NationalId.Telemetry;
using NationalId.Verification;

namespace NationalId.Citizens;

/// <summary>
/// One citizen: decides every verification of their credentials, binds and revokes phones. Runs one call at a time,
/// so status checks, single use and revocation are serialized per citizen without locks or a central table.
/// </summary>
[GrainType("citizen")]
[RegionalPlacement]
public sealed partial class CitizenGrain(
    [PersistentState("citizen", StorageNames.Default)] IPersistentState<CitizenState> state,
    IAccessHistory history,
    RelyingPartyDirectory relyingParties,
    Capture.CaptureVerifier captures,
    IOptions<NationalIdOptions> options,
    NationalIdMetrics metrics,
    TimeProvider clock,
    ILogger<CitizenGrain> logger) : Grain, ICitizenGrain, IIncomingGrainCallFilter
{
    private const string ActivationCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    private readonly NationalIdOptions _options = options.Value;
    private readonly FacePolicy _facePolicy = FacePolicy.From(options.Value);
    // Imported device keys by credential: most citizens have one or two phones, so a short list beats a dictionary.
    private List<(byte[] CredentialId, ECDsa Key)>? _deviceKeys;
    private ReplayGuard? _replay;
    private IGrainTimer? _outboxRetry;
    private Dictionary<Guid, (string? Province, DateTimeOffset At)>? _lastSeen;
    private Guid _lastEventId;

    private CitizenState Citizen => state.State;

    public async Task<OperationOutcome> Enroll(CitizenEnrollment enrollment)
    {
        if (Citizen.Enrolled)
        {
            return OperationOutcome.Fail(ErrorCodes.CitizenAlreadyEnrolled);
        }

        // Checked here too, not only at the HTTP edge: a template that cannot be stored faithfully would make every
        // later comparison undecidable.
        if (enrollment.Face.Problem() is { } faceProblem)
        {
            return OperationOutcome.Fail(faceProblem);
        }

        var idNumber = ResidentIdNumber.Parse(enrollment.IdNumber);
        state.State = new CitizenState
        {
            Enrolled = true,
            Handle = this.GetPrimaryKeyString(),
            IdNumber = idNumber.Value,
            Name = enrollment.Name,
            Sex = idNumber.Sex,
            BirthDate = idNumber.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            HomeProvince = idNumber.ProvinceCode,
            ResidenceProvince = enrollment.ResidenceProvince,
            FaceTemplate = FaceMatcher.Pack(enrollment.Face.Template),
            PseudonymSecret = RandomNumberGenerator.GetBytes(32),
            EnrolledAt = clock.GetUtcNow(),
        };

        // Operators' acts on a citizen are in the citizen's own history, like everyone else's.
        Raise(HistoryKind.Enrolled, null, "counter", null);
        await Commit();
        logger.LogInformation("Citizen enrolled in province {Province}", idNumber.ProvinceCode);
        return OperationOutcome.Ok;
    }

    public async Task<ActivationCode> IssueActivationCode()
    {
        if (!Citizen.Enrolled)
        {
            return new ActivationCode(null, default, ErrorCodes.CitizenNotFound);
        }

        var code = string.Create(10, 0, static (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = ActivationCodeAlphabet[RandomNumberGenerator.GetInt32(ActivationCodeAlphabet.Length)];
            }
        });
        var expires = clock.GetUtcNow() + _options.ActivationCodeLifetime;
        Citizen.ActivationCodeHash = ActivationRules.HashCode(code);
        Citizen.ActivationCodeExpiresAt = expires;
        Citizen.ActivationCodeFailures = 0;
        Raise(HistoryKind.ActivationCodeIssued, null, "counter", null);
        await Commit();
        return new ActivationCode(code, expires, null);
    }

    public async Task<ActivationResult> Activate(DeviceActivation activation)
    {
        var now = clock.GetUtcNow();
        if (!Citizen.Enrolled)
        {
            // Answered, worked and locked out exactly as for an enrolled citizen whose face does not match: the same
            // remote-failure count kept in this grain's stored state (a storage write per failure, as for a citizen),
            // the same lockout. A phone must learn who is enrolled neither from the answer nor from the time it takes.
            if (activation.ActivationCode is not null)
            {
                return Refused(ErrorCodes.ActivationCodeInvalid);
            }

            if (activation.Face is not { } strangerFace)
            {
                return Refused(ErrorCodes.ProofRequired);
            }

            if (await AttestedChallenge(activation, now) is not { } strangerMark)
            {
                return Refused(ErrorCodes.CaptureNotAttested);
            }

            return Refused(await CheckMarkedFace(strangerFace, strangerMark, now) ?? RejectionReason.FaceMismatch);
        }

        // The caller proved possession of this key (the request is signed with it). A key already bound answers
        // with its credential, so a retry after a lost answer is safe; a revoked key never comes back.
        if (ActivationRules.Existing(Citizen.Credentials, activation.DevicePublicKey) is { } existing)
        {
            return existing.Status == CredentialStatus.Revoked
                ? Refused(ErrorCodes.PublicKeyRevoked)
                : new ActivationResult(null, existing.CredentialId, existing.Assurance, existing.BoundAt);
        }

        Assurance assurance;
        UsedChallenge? mark = null;
        if (activation.ActivationCode is { } code)
        {
            var attempt = ActivationRules.Code(
                Citizen.ActivationCodeHash, Citizen.ActivationCodeExpiresAt, Citizen.ActivationCodeFailures, code, now, _options.ActivationCodeMaxAttempts);
            if (attempt.Changed)
            {
                Citizen.ActivationCodeFailures = attempt.Failures;
                Citizen.ActivationCodeHash = attempt.Void ? null : Citizen.ActivationCodeHash;
                await Persist();
            }

            if (attempt.Refusal is { } wrongCode)
            {
                return Refused(wrongCode);
            }

            assurance = Assurance.High;
        }
        else if (activation.Face is { } face)
        {
            // Only a capture its certified SDK's vendor signed for this key and a fresh challenge counts: a template
            // computed from a photo is not a live face.
            mark = await AttestedChallenge(activation, now);
            if (mark is null)
            {
                return Refused(ErrorCodes.CaptureNotAttested);
            }

            // Remote face matches count toward the same limit as in-person ones: no endless guessing from a phone.
            if (await CheckMarkedFace(face, mark, now) is { } faceProblem)
            {
                return Refused(faceProblem);
            }

            // Only after the face matched: whether an identity is locked is told to its owner, not to anyone.
            if (Citizen.Locked)
            {
                Citizen.UsedCaptureChallenges.Remove(mark); // nothing is stored for this attempt, so nothing is marked
                return Refused(RejectionReason.CitizenLocked); // a locked identity binds phones only at a counter
            }

            assurance = Assurance.Substantial;
        }
        else
        {
            return Refused(ErrorCodes.ProofRequired);
        }

        if (ActivationRules.DeviceLimitReached(Citizen.Credentials, _options.MaxActiveCredentials))
        {
            if (mark is not null)
            {
                Citizen.UsedCaptureChallenges.Remove(mark); // nothing is stored for this attempt, so nothing is marked
            }

            return Refused(ErrorCodes.DeviceLimitReached);
        }

        var credential = new CredentialRecord
        {
            CredentialId = RandomNumberGenerator.GetBytes(ProtocolConstants.CredentialIdLength),
            PublicKey = activation.DevicePublicKey,
            BoundAt = now,
            Assurance = assurance,
            Status = CredentialStatus.Active,
            DeviceLabel = activation.DeviceLabel,
            ProvisionalUntil = ActivationRules.ProvisionalUntil(assurance, now, _options.RemoteBindingCoolingOff),
        };
        Citizen.Credentials.Add(credential);
        if (activation.ActivationCode is not null)
        {
            Citizen.ActivationCodeHash = null;
        }

        Raise(HistoryKind.Bound, credential.CredentialId, activation.ActivationCode is null ? "remote_face" : "counter_code", activation.DeviceLabel);
        await Commit();
        logger.LogInformation("Credential bound with assurance {Assurance}", assurance);
        return new ActivationResult(null, credential.CredentialId, assurance, now);

        static ActivationResult Refused(string code) => new(code, null, Assurance.None, default);
    }

    /// <summary>
    /// The mark of the capture's challenge when the capture is attested and this citizen has not used the challenge
    /// before (nor holds too many); null otherwise, refused like a false attestation. The same for an enrolled citizen
    /// and an unknown number. The mark is not yet in the state: <see cref="CheckMarkedFace"/> puts it there.
    /// </summary>
    private async Task<UsedChallenge?> AttestedChallenge(DeviceActivation activation, DateTimeOffset now)
    {
        if (await captures.Check(activation.Face!, activation.Capture, activation.DevicePublicKey, now) is not { } expiresAt)
        {
            return null;
        }

        var id = Capture.CaptureVerifier.ChallengeId(activation.Capture!.Challenge);
        return ActivationRules.ChallengeUsable(Citizen.UsedCaptureChallenges, id, now, _options.PresentationClockSkew)
            ? new UsedChallenge { Id = id, ExpiresAt = expiresAt }
            : null;
    }

    /// <summary>
    /// The remote face check with the challenge marked used exactly when the attempt is stored: with the failure count
    /// of a mismatch, or later with the binding. An attempt that stores nothing (lockout, liveness too low) leaves no
    /// mark, for an enrolled citizen as for an unknown number (whose grain is dropped after every call), so the same
    /// request again gets the same answer from both.
    /// </summary>
    private async Task<string?> CheckMarkedFace(FaceSample face, UsedChallenge mark, DateTimeOffset now)
    {
        Citizen.UsedCaptureChallenges.Add(mark);
        var problem = await CheckFace(face, now, RemoteChannel);
        if (problem is not null && problem != RejectionReason.FaceMismatch)
        {
            Citizen.UsedCaptureChallenges.Remove(mark);
        }

        return problem;
    }

    public async Task<CitizenVerificationOutcome> Verify(CitizenVerification message)
    {
        var now = clock.GetUtcNow();
        if (await AuthorizedScope(message.RelyingPartyId, message.ScopeName) is not var (rpProvince, authorizedScope))
        {
            return new CitizenVerificationOutcome(VerificationResult.Rejected(RejectionReason.NotAuthorized, now), false);
        }

        var request = new AuthorizedVerification(message, rpProvince, authorizedScope);
        var crossProvince = Citizen.Enrolled && Citizen.HomeProvince != request.RelyingPartyProvince;
        var credential = Citizen.Enrolled ? Find(request.CredentialId) : null;
        if (credential is null)
        {
            // Nothing to record against: an unknown credential tells us nothing about a real citizen.
            return new CitizenVerificationOutcome(VerificationResult.Rejected(RejectionReason.UnknownCredential, now), false);
        }

        // The signature comes first: a forged QR learns nothing about the credential's status.
        if (!DeviceRequestSignature.Verify(DeviceKey(credential), request.SignedBytes, request.Signature))
        {
            return await Record(request, RejectionReason.BadSignature, consumedNonce: false);
        }

        var skew = _options.PresentationClockSkew;
        if (request.IssuedAt > now + skew)
        {
            return await Record(request, RejectionReason.NotYetValid, consumedNonce: false);
        }

        if (request.IssuedAt + ProtocolConstants.PresentationLifetime + skew < now)
        {
            return await Record(request, RejectionReason.Expired, consumedNonce: false);
        }

        // A decided verification is recorded under the gateway's id, at that id's time (paging by id stays ordered
        // by time); a retry of the same id after a lost answer finds it and gets the same answer, not "replayed".
        var verificationId = VerificationIdFor(request.VerificationId, now);
        var replay = await ReplayWindow(now);
        if (!replay.TryConsume(request.Nonce, now, verificationId, out var consumedBy))
        {
            if (consumedBy == verificationId && await history.FindVerificationAsync(this.GetPrimaryKeyString(), verificationId) is { } recorded)
            {
                return new CitizenVerificationOutcome(Repeat(request, recorded), crossProvince);
            }

            return await Record(request, RejectionReason.Replayed, consumedNonce: false);
        }

        var at = UuidV7.Timestamp(verificationId);
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

        var result = Verified(request, verificationId, assurance, at);
        var replayed = await Append(request, result, result.Attributes.Keys.ToArray(), crossProvince, consumedNonce: true, Registration(request.Scope, request.RelyingPartyId, request.RelyingPartyProvince, result));
        return new CitizenVerificationOutcome(replayed ?? result, crossProvince);
    }

    /// <summary>
    /// Remembers where each credential was last verified (in memory: an idle citizen's grain is collected after hours,
    /// longer than any flight) and flags a verification that nobody could have travelled to in time: the citizen's
    /// phones hear of it, and by policy the credential is suspended and this verification refused.
    /// </summary>
    private async Task<string?> TravelCheck(CredentialRecord credential, string province, DateTimeOffset now)
    {
        _lastSeen ??= [];
        var key = new Guid(credential.CredentialId);
        var previous = _lastSeen.TryGetValue(key, out var seen) ? seen : default;
        _lastSeen[key] = (province, now);
        if (previous.Province is null || !TravelRule.Impossible(previous.Province, previous.At, province, now))
        {
            return null;
        }

        var minutes = (int)Math.Round((now - previous.At).TotalMinutes);
        Raise(HistoryKind.TravelAnomaly, credential.CredentialId, "system", $"{previous.Province} then {province} within {minutes} min");
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

    private VerificationResult Verified(AuthorizedVerification request, Guid verificationId, Assurance assurance, DateTimeOffset at) =>
        Verified(request.RelyingPartyId, request.Scope, request.Match, verificationId, assurance, at);

    private VerificationResult Verified(string relyingPartyId, ScopePolicy scope, MatchRequest? match, Guid verificationId, Assurance assurance, DateTimeOffset at) =>
        VerificationAnswers.Verified(Citizen, relyingPartyId, scope, match, verificationId, assurance, at);

    private VerificationResult Repeat(AuthorizedVerification request, HistoryRecord recorded) =>
        Repeat(request.RelyingPartyId, request.Scope, request.Match, recorded);

    public Task<CitizenSummary> GetSummary() =>
        Task.FromResult(new CitizenSummary(
            Citizen.Enrolled,
            Citizen.Enrolled ? Citizen.HomeProvince : null,
            Citizen.Credentials
                .Select(c => new CredentialSummary(c.CredentialId, c.Status, c.Assurance, c.BoundAt, c.DeviceLabel, c.StatusChangedAt, c.StatusReason, c.IsProvisional(clock.GetUtcNow()) ? c.ProvisionalUntil : null))
                .ToList(),
            Citizen.Locked));

    // A crash after a change was stored but before its events were delivered: deliver them now, or keep trying in the
    // background; a failing delivery never makes the citizen unverifiable or unchangeable.
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Citizen.Enrolled && !string.Equals(Citizen.Handle, this.GetPrimaryKeyString(), StringComparison.Ordinal))
        {
            // Someone with write access to storage copied another citizen's row here: refuse it, never serve it.
            logger.LogCritical("Stored citizen state belongs to another key: activation refused");
            throw new System.Security.Cryptography.CryptographicException("Stored citizen state belongs to another citizen.");
        }

        return TryDeliverOutbox();
    }

    /// <summary>
    /// Every call to a number nobody enrolled (a made-up handle on a wallet route, a guessed ID number on activation)
    /// ends with the activation dropped: junk requests leave no grain in memory. What such a grain must remember, a
    /// remote-binding lockout, is in its stored state and read again next time.
    /// </summary>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        await context.Invoke();
        if (!Citizen.Enrolled)
        {
            DeactivateOnIdle();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        foreach (var (_, key) in _deviceKeys ?? [])
        {
            key.Dispose();
        }

        _deviceKeys = null;
        return Task.CompletedTask;
    }

    private async Task<CitizenVerificationOutcome> Record(AuthorizedVerification request, string reason, bool consumedNonce, Guid? verificationId = null)
    {
        // Only a decision that consumed the nonce is recorded under the request's id: a retried attempt that was refused
        // before (bad signature, expired, replayed) is recorded again under a new id, never twice under one.
        var result = verificationId is { } id
            ? VerificationResult.Rejected(reason, UuidV7.Timestamp(id)) with { VerificationId = id }
            : VerificationResult.Rejected(reason, clock.GetUtcNow());
        var crossProvince = Citizen.HomeProvince != request.RelyingPartyProvince;
        var replayed = await Append(request, result, [], crossProvince, consumedNonce);
        return new CitizenVerificationOutcome(replayed ?? result, crossProvince);
    }

    /// <summary>
    /// For a scope the law makes register (hotel check-in, rail boarding): who, when, where, sealed to the registration
    /// authority and kept with the history line. The RP gets only its answer and pseudonym.
    /// </summary>
    private byte[]? Registration(ScopePolicy scope, string relyingPartyId, string place, VerificationResult result) =>
        scope.StatutoryRegistration && result.Verified
            ? ServiceProvider.GetService<Statutory.StatutorySealer>()?.Seal(new Protocol.StatutorySeal.Registration(
                Citizen.IdNumber, Citizen.Name, result.CheckedAt, relyingPartyId, place, scope.Name, result.VerificationId))
            : null;

    /// <summary>
    /// Records the verification; null when recorded as decided. When the durable fence found the nonce consumed by
    /// another activation of this citizen, the "replayed" rejection that was recorded instead, to answer.
    /// </summary>
    private async Task<VerificationResult?> Append(AuthorizedVerification request, VerificationResult result, string[] disclosed, bool crossProvince, bool consumedNonce, byte[]? registration = null)
    {
        var record = new HistoryRecord(
            result.VerificationId,
            result.CheckedAt,
            this.GetPrimaryKeyString(),
            HistoryKind.Verification,
            request.CredentialId,
            consumedNonce ? request.Nonce : null,
            request.RelyingPartyId,
            request.Scope.Name,
            result.Verified,
            result.Reason,
            (short)result.Assurance,
            disclosed,
            request.RelyingPartyProvince,
            crossProvince,
            Channel: request.OnBehalf ? "delegate" : null,
            SealedRegistration: registration,
            PresentationIssuedAt: consumedNonce ? request.IssuedAt : null);
        HistoryRecord? replaced;
        try
        {
            replaced = await history.AppendAsync(record);
        }
        catch
        {
            // Not recorded means not answered: give the nonce back so the RP may retry the same QR.
            if (consumedNonce)
            {
                _replay?.Release(request.Nonce);
            }

            throw;
        }

        if (replaced is null)
        {
            return null;
        }

        logger.LogWarning("A presentation consumed by another activation of this citizen was answered replayed");
        return VerificationResult.Rejected(RejectionReason.Replayed, replaced.RecordedAt) with { VerificationId = replaced.EventId };
    }

    /// <summary>
    /// Reloaded with a margin beyond the validity window: a gateway retry, or a silo whose clock is behind, may still
    /// bring a presentation the window would otherwise have forgotten (the durable fence backs it up either way).
    /// </summary>
    private static readonly TimeSpan ReplayReloadMargin = TimeSpan.FromMinutes(2);

    private async ValueTask<ReplayGuard> ReplayWindow(DateTimeOffset now)
    {
        var retention = ProtocolConstants.PresentationLifetime + (2 * _options.PresentationClockSkew) + ReplayReloadMargin;
        if (_replay is { Loaded: true })
        {
            return _replay;
        }

        var guard = new ReplayGuard(retention);
        guard.Load(await history.RecentNoncesAsync(this.GetPrimaryKeyString(), now - retention), now);
        _replay = guard;
        return guard;
    }

    /// <summary>
    /// The gateway's verification id when it is a UUIDv7 of about now (its time becomes the line's time and partition);
    /// anything else a caller sends gets a fresh id.
    /// </summary>
    private static Guid VerificationIdFor(Guid requested, DateTimeOffset now) =>
        History.UuidV7.TryTimestamp(requested, out var at) && (at - now).Duration() < TimeSpan.FromMinutes(5) ? requested : Guid.CreateVersion7(now);

    /// <summary>
    /// The RP's province and the scope's rules, from the RP's own policy (this silo's cache of it), when the RP is
    /// active and registered for the scope; null otherwise. A caller names the RP and the scope, nothing more: a
    /// message from inside the cluster cannot widen a scope or claim a province.
    /// </summary>
    private async ValueTask<(string Province, ScopePolicy Scope)?> AuthorizedScope(string relyingPartyId, string scopeName)
    {
        var policy = await relyingParties.GetAsync(relyingPartyId);
        if (policy is not { Status: RelyingPartyStatus.Active })
        {
            return null;
        }

        foreach (var scope in policy.Scopes)
        {
            if (string.Equals(scope.Name, scopeName, StringComparison.Ordinal))
            {
                return (policy.Province, scope);
            }
        }

        return null;
    }

    private CredentialRecord? Find(byte[] credentialId)
    {
        foreach (var c in Citizen.Credentials)
        {
            if (c.CredentialId.AsSpan().SequenceEqual(credentialId))
            {
                return c;
            }
        }

        return null;
    }

    private ECDsa DeviceKey(CredentialRecord credential)
    {
        foreach (var (id, cached) in _deviceKeys ?? [])
        {
            if (id.AsSpan().SequenceEqual(credential.CredentialId))
            {
                return cached;
            }
        }

        PresentationCodec.TryDecodePoint(credential.PublicKey, out var parameters);
        var key = ECDsa.Create(parameters);
        (_deviceKeys ??= new(1)).Add((credential.CredentialId, key));
        return key;
    }

    /// <summary>
    /// Writes the state; if the write fails the activation is dropped, so the next call reloads what storage really
    /// holds instead of answering from a change that was never stored.
    /// </summary>
    private async Task Persist()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

}
