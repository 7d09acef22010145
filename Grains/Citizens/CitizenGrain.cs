using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.History;
using NationalId.IdNumbers;
using NationalId.Placement;
using NationalId.RelyingParties;
using NationalId.Telemetry;

namespace NationalId.Citizens;

/// <summary>
/// One citizen: decides every verification of their credentials, binds and revokes phones. Runs one call at a time,
/// so status checks, single use and revocation are serialized per citizen without locks or a central table.
/// </summary>
/// <remarks>
/// The decisions are pure functions in <c>Rules/</c> (channel policy, face attempts, verification, mandates,
/// activation, travel, disclosure). The grain loads and caches (device keys, the replay window), checks signatures,
/// applies a decision to its state and commits it through <see cref="CitizenOutbox"/>, its one commit path. The
/// partial files are its roles: activation, verification, the citizen's own changes, in-person service, mandates.
/// </remarks>
[GrainType("citizen")]
[RegionalPlacement]
public sealed partial class CitizenGrain(
    [PersistentState(Storage.CitizenStorageKeys.StateName, StorageNames.Citizens)] IPersistentState<CitizenState> state,
    IAccessHistory history,
    RelyingPartyDirectory relyingParties,
    Capture.CaptureVerifier captures,
    IOptions<NationalIdOptions> options,
    NationalIdMetrics metrics,
    TimeProvider clock,
    ILogger<CitizenGrain> logger) : Grain, ICitizenGrain, IIncomingGrainCallFilter
{
    private readonly NationalIdOptions _options = options.Value;
    private readonly FacePolicy _facePolicy = FacePolicy.From(options.Value);
    private readonly DeviceKeys _deviceKeys = new();
    private CitizenOutbox? _outbox;
    private FaceAttempts? _faces;

    private CitizenState Citizen => state.State;

    private CitizenOutbox Outbox => _outbox ??= new CitizenOutbox(this, state, history, _options, metrics, clock, logger);

    private FaceAttempts Faces => _faces ??= new FaceAttempts(() => state.State, Outbox, captures, _facePolicy, _options);

    private string Handle => this.GetPrimaryKeyString();

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
        state.State = CitizenState.Enroll(Handle, idNumber, enrollment, RandomNumberGenerator.GetBytes(32), clock.GetUtcNow());

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

        var code = ActivationRules.NewCode();
        var expires = clock.GetUtcNow() + _options.ActivationCodeLifetime;
        Citizen.ActivationCodeHash = ActivationRules.HashCode(code);
        Citizen.ActivationCodeExpiresAt = expires;
        Citizen.ActivationCodeFailures = 0;
        Raise(HistoryKind.ActivationCodeIssued, null, "counter", null);
        await Commit();
        return new ActivationCode(code, expires, null);
    }

    public Task<CitizenSummary> GetSummary() => Task.FromResult(CitizenState.Summary(Citizen, clock.GetUtcNow()));

    public async Task<bool> Reseal()
    {
        if (!Citizen.Enrolled)
        {
            DeactivateOnIdle();
            return false;
        }

        await Outbox.Persist();
        DeactivateOnIdle(); // a maintenance pass touches many citizens: do not keep them in memory
        return true;
    }

    public Task<string?> CheckDevice(DeviceSignedRequest request) =>
        Task.FromResult(Citizen.Enrolled ? Authorize(request, false, out _, consume: false) : ErrorCodes.DeviceSignatureInvalid);

    public Task<bool> IsActiveCredential(byte[] credentialId) =>
        Task.FromResult(Citizen.Enrolled && Citizen.FindCredential(credentialId) is { Status: CredentialStatus.Active });

    // A crash after a change was stored but before its events were delivered: deliver them now, or keep trying in the
    // background; a failing delivery never makes the citizen unverifiable or unchangeable.
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Citizen.Enrolled && !string.Equals(Citizen.Handle, Handle, StringComparison.Ordinal))
        {
            // Someone with write access to storage copied another citizen's row here: refuse it, never serve it.
            logger.LogCritical("Stored citizen state belongs to another key: activation refused");
            throw new CryptographicException("Stored citizen state belongs to another citizen.");
        }

        return Outbox.TryDeliver();
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
        _deviceKeys.Clear();
        return Task.CompletedTask;
    }

    private void Raise(string kind, byte[]? credentialId, string channel, string? note) => Outbox.Raise(kind, credentialId, channel, note);

    private Task Commit() => Outbox.Commit();

    /// <summary>A device-signed request checked against this citizen's phones (<see cref="DeviceKeys.Authorize"/>).</summary>
    private string? Authorize(DeviceSignedRequest? request, bool allowSuspendedSigner, out CredentialRecord? signer, bool consume = true) =>
        _deviceKeys.Authorize(Citizen, request, allowSuspendedSigner, clock.GetUtcNow(), consume, out signer);

    // The gate of every change the citizen's phone, a counter or the hotline asks for, in its fixed order: the phone's
    // signature first (nothing, not even whether a face matches, is told to an unsigned caller: SignedBy); then a
    // provisional phone's limits, the channel x action table, and the live face where the table asks for one
    // (Permitted). Each answers null when allowed.

    /// <summary>The whole gate for an action on an enrolled citizen: <see cref="SignedBy"/>, then <see cref="Permitted"/>.</summary>
    private string? Gate(ActionChannel channel, DeviceSignedRequest? device, CitizenAction action, FaceSample? face, out CredentialRecord? signer, bool? faceRequired = null)
    {
        signer = null;
        return !Citizen.Enrolled ? DeviceRules.UnknownCitizen(channel)
            : SignedBy(channel, device, out signer) ?? Permitted(signer, action, channel, face, faceRequired: faceRequired);
    }

    /// <summary>On the phone channel, the request's signer (<see cref="Authorize"/>); on the others, no signer and no check.</summary>
    private string? SignedBy(ActionChannel channel, DeviceSignedRequest? device, out CredentialRecord? signer, bool allowSuspendedSigner = false)
    {
        signer = null;
        return channel == ActionChannel.Device ? Authorize(device, allowSuspendedSigner, out signer) : null;
    }

    /// <summary>
    /// Whether this signer (null off the phone channel) may do the action through the channel, with the face the table
    /// asks for (or <paramref name="faceRequired"/>, where the action's own rules decide the face).
    /// </summary>
    private string? Permitted(CredentialRecord? signer, CitizenAction action, ActionChannel channel, FaceSample? face, bool onItself = false, bool? faceRequired = null)
    {
        // A phone bound remotely acts on itself only, until its cooling-off ends: whoever bound it with a stolen face
        // cannot shut the citizen's own phones out, while those phones can cancel it.
        var provisional = signer is not null && signer.IsProvisional(clock.GetUtcNow());
        return ChannelPolicy.Refusal(action, channel, provisional, onItself)
            ?? FaceRules.Check(Citizen.FaceTemplate, face, faceRequired ?? ChannelPolicy.For(action, channel).FaceRequired, _facePolicy);
    }
}
