using System.Diagnostics;
using Microsoft.Extensions.Options;
using NationalId.Cards;
using NationalId.Citizens;
using NationalId.Errors;
using NationalId.IdNumbers;
using NationalId.Protocol;
using NationalId.RelyingParties;
using NationalId.Telemetry;

namespace NationalId.Verification;

/// <summary>
/// One verification, whoever asks (the HTTP gateway or an Orleans client through <see cref="IVerifierGrain"/>): the RP
/// is authenticated from this silo's policy cache, the presentation opened here (CPU only), and the one citizen grain
/// decides. Refusals of the request are outcomes with codes; rejections are results with reasons.
/// </summary>
public sealed class Verifier(
    IGrainFactory grains,
    RelyingPartyDirectory directory,
    PresentationKeyRing keys,
    CitizenHandles handles,
    CardSealer cards,
    RelyingPartyLimits limits,
    NationalIdMetrics metrics,
    TimeProvider clock,
    IOptions<NationalIdOptions> options)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(1);
    private readonly TimeSpan _deadline = options.Value.VerificationDeadline;

    /// <summary>
    /// The RP behind an API key, or the refusal to answer. With <paramref name="admit"/> (a verification, not a read of
    /// the RP's own log or feed) the RP's rate limit and daily quota are applied too.
    /// </summary>
    public async Task<(RelyingPartyPolicy? Policy, VerifyOutcome? Refusal)> AuthenticateAsync(string? apiKey, bool admit = false)
    {
        if (!ApiKeys.TryParse(apiKey, out var relyingPartyId, out var secret))
        {
            return (null, VerifyOutcome.Refused(ErrorCodes.InvalidApiKey, "Relying parties authenticate with 'Authorization: Bearer <api key>'."));
        }

        var policy = await directory.GetAsync(relyingPartyId);
        if (policy is null || !ApiKeys.Matches(policy, secret))
        {
            return (null, VerifyOutcome.Refused(ErrorCodes.InvalidApiKey, "The API key is not valid."));
        }

        if (policy.Status != RelyingPartyStatus.Active)
        {
            return (null, VerifyOutcome.Refused(ErrorCodes.RelyingPartySuspended, "This relying party is suspended."));
        }

        return admit && await limits.AdmitAsync(policy) is { } refused ? (null, refused) : (policy, null);
    }

    public async Task<VerifyOutcome> VerifyAsync(string? apiKey, VerifyInput input)
    {
        var started = Stopwatch.GetTimestamp();
        var (policy, refusal) = await AuthenticateAsync(apiKey, admit: true);
        return refusal ?? await VerifyAsync(policy!, input, started);
    }

    /// <summary>For a caller that already authenticated the RP; <paramref name="started"/> starts the latency metric.</summary>
    public async Task<VerifyOutcome> VerifyAsync(RelyingPartyPolicy policy, VerifyInput input, long started)
    {
        if (CheckScope(policy, input.Scope, out var scope) is { } scopeRefusal)
        {
            return scopeRefusal;
        }

        if (string.IsNullOrEmpty(input.Presentation))
        {
            return VerifyOutcome.Refused(ErrorCodes.PresentationMissing, "The scanned QR text goes in 'presentation'.");
        }

        if (CheckFaceAndMatch(input.Face, input.Match) is { } shapeRefusal)
        {
            return shapeRefusal;
        }

        string? principal = null;
        if (input.OnBehalfOf is not null)
        {
            if (!ResidentIdNumber.TryParse(input.OnBehalfOf, out var principalId, out _))
            {
                return VerifyOutcome.Refused(ErrorCodes.InvalidOnBehalfOf, "'onBehalfOf' is the principal's resident ID number (18 characters, valid check character).");
            }

            if (CardSealer.LooksLikeCard(input.Presentation))
            {
                return VerifyOutcome.Refused(ErrorCodes.OnBehalfNotSupported, "A delegate shows their own phone's QR; printed cards act for their holder only.");
            }

            principal = handles.For(principalId!);
        }

        VerificationResult result;
        var crossProvince = false;
        var verificationId = Guid.CreateVersion7(clock.GetUtcNow());
        if (CardSealer.LooksLikeCard(input.Presentation))
        {
            // A printed card: the same in-person check as at a counter, the card standing in for the typed ID number.
            if (!scope!.InPersonAllowed)
            {
                return VerifyOutcome.Refused(ErrorCodes.InPersonNotAllowed, "A printed card is an in-person credential; this scope cannot be verified in person.");
            }

            if (!cards.TryOpen(input.Presentation, out var cardId, out var cardHandle) || CitizenHandles.ProvinceOf(cardHandle) is null)
            {
                result = VerificationResult.Rejected(RejectionReason.DecryptionFailed, clock.GetUtcNow());
            }
            else
            {
                var outcome = await RetryAsync(() => grains.GetGrain<ICitizenGrain>(cardHandle).VerifyInPerson(
                    new InPersonVerification(policy.RelyingPartyId, scope!.Name, input.Face, input.Match, verificationId, cardId)), started);
                (result, crossProvince) = (outcome.Result, outcome.CrossProvince);
            }
        }
        else
        {
            var opened = PresentationCodec.TryOpen(input.Presentation, keys.Find, out var payload);
            if (opened != PresentationError.None || CitizenHandles.ProvinceOf(payload!.CitizenHandle) is null)
            {
                result = VerificationResult.Rejected(opened switch
                {
                    PresentationError.UnknownKey => RejectionReason.UnknownKey,
                    PresentationError.DecryptionFailed => RejectionReason.DecryptionFailed,
                    _ => RejectionReason.Malformed,
                }, clock.GetUtcNow());
            }
            else
            {
                var outcome = await RetryAsync(() => grains.GetGrain<ICitizenGrain>(payload.CitizenHandle).Verify(new CitizenVerification(
                    payload.CredentialId,
                    payload.IssuedAt,
                    payload.Nonce,
                    payload.SignedBytes,
                    payload.Signature,
                    policy.RelyingPartyId,
                    scope!.Name,
                    input.Face,
                    principal is null ? input.Match : null, // a match is about the principal, asked of the principal
                    verificationId,
                    OnBehalf: principal is not null)), started);
                (result, crossProvince) = (outcome.Result, outcome.CrossProvince);
                if (principal is not null && result.Verified)
                {
                    (result, crossProvince) = await OnBehalfAsync(principal, payload.CitizenHandle, policy, scope!, input.Match, result, started);
                }
            }
        }

        metrics.Verification(result.Verified, result.Reason, policy.Sector.ToString().ToLowerInvariant(), crossProvince, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return VerifyOutcome.Answered(result);
    }

    /// <summary>
    /// A verification at a counter for someone without a phone: the ID number read from the physical card and a live
    /// face, for a scope that allows in-person use. The answer has the form of a QR verification.
    /// </summary>
    public async Task<VerifyOutcome> VerifyInPersonAsync(RelyingPartyPolicy policy, InPersonInput input, long started)
    {
        if (CheckScope(policy, input.Scope, out var scope) is { } scopeRefusal)
        {
            return scopeRefusal;
        }

        if (!scope!.InPersonAllowed)
        {
            return VerifyOutcome.Refused(ErrorCodes.InPersonNotAllowed, "This scope cannot be verified in person (docs/reference/api.md, scope catalogue).");
        }

        if (!ResidentIdNumber.TryParse(input.IdNumber, out var idNumber, out var idError))
        {
            return VerifyOutcome.Refused(ErrorCodes.InvalidIdNumber, $"'idNumber' is not a valid resident ID number: {idError}.");
        }

        if (input.Face is null)
        {
            return VerifyOutcome.Refused(ErrorCodes.FaceRequired, "A counter verification needs the person's live face ('face').");
        }

        if (CheckFaceAndMatch(input.Face, input.Match) is { } shapeRefusal)
        {
            return shapeRefusal;
        }

        var handle = handles.For(idNumber!);
        var outcome = await RetryAsync(() => grains.GetGrain<ICitizenGrain>(handle).VerifyInPerson(
            new InPersonVerification(policy.RelyingPartyId, scope.Name, input.Face, input.Match, Guid.CreateVersion7(clock.GetUtcNow()), null)), started);
        var result = outcome.Result;
        metrics.Verification(result.Verified, result.Reason, policy.Sector.ToString().ToLowerInvariant(), outcome.CrossProvince, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return VerifyOutcome.Answered(result);
    }

    /// <summary>
    /// The delegate was verified; the principal's grain checks the mandate and answers with the principal's
    /// attributes. The RP learns that it was delegated and who the delegate is, by its own pseudonym of the delegate.
    /// </summary>
    private async Task<(VerificationResult, bool)> OnBehalfAsync(
        string principal, string delegateHandle, RelyingPartyPolicy policy, ScopePolicy scope, MatchRequest? match, VerificationResult delegated, long started)
    {
        var outcome = await RetryAsync(() => grains.GetGrain<ICitizenGrain>(principal).UseMandate(
            new MandateUse(delegateHandle, policy.RelyingPartyId, scope.Name, match, delegated.VerificationId)), started);
        var answer = outcome.Result with { VerificationId = delegated.VerificationId, CheckedAt = delegated.CheckedAt, DelegatePseudonym = delegated.Pseudonym };
        return (answer.Verified ? answer : answer with { Assurance = Assurance.None }, outcome.CrossProvince);
    }

    private static VerifyOutcome? CheckScope(RelyingPartyPolicy policy, string? name, out ScopePolicy? scope)
    {
        scope = null;
        if (!ScopeCatalog.TryGet(name, out _))
        {
            return VerifyOutcome.Refused(ErrorCodes.InvalidScope, "'scope' must name a scope of the national catalogue (docs/reference/api.md).");
        }

        scope = policy.Scopes.FirstOrDefault(s => s.Name == name);
        return scope is null ? VerifyOutcome.Refused(ErrorCodes.ScopeNotAllowed, "This relying party is not registered for that scope.") : null;
    }

    private static VerifyOutcome? CheckFaceAndMatch(FaceSample? face, MatchRequest? match)
    {
        if (face?.Problem() is { } faceProblem)
        {
            return VerifyOutcome.Refused(faceProblem, $"The face must have {FaceSample.Dimension} finite values and a liveness score between 0 and 1.");
        }

        if (match is { } m
            && (m.Attribute is null || !DisclosableAttribute.All.Contains(m.Attribute) || string.IsNullOrEmpty(m.Value) || m.Value.Length > 200))
        {
            return VerifyOutcome.Refused(ErrorCodes.InvalidMatch, "A match names a known attribute and a value of 1 to 200 characters.");
        }

        return null;
    }

    /// <summary>
    /// Asks the citizen grain, again if the silo holding it fails mid-call (the cluster then activates the citizen on
    /// another silo), until the request's deadline. Every attempt carries the same verification id, so a decision the
    /// failed silo had already recorded is answered from the record: nothing is recorded or consumed twice.
    /// </summary>
    private async Task<T> RetryAsync<T>(Func<Task<T>> call, long started)
    {
        var backoff = FirstBackoff;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (IsSiloFailure(ex) && Stopwatch.GetElapsedTime(started) + backoff < _deadline)
            {
                metrics.VerificationRetry();
                await Task.Delay(backoff, clock);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
            }
        }
    }

    /// <summary>A silo went away or a call to it timed out; not a failure of PostgreSQL (answered 503 at once).</summary>
    public static bool IsSiloFailure(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
            or Orleans.Runtime.Messaging.ConnectionFailedException
        || (exception.InnerException is { } inner && IsSiloFailure(inner));
}
