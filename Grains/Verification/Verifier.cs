using System.Diagnostics;
using Microsoft.Extensions.Options;
using NationalId.Citizens;
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
    NationalIdMetrics metrics,
    TimeProvider clock,
    IOptions<NationalIdOptions> options)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(1);
    private readonly TimeSpan _deadline = options.Value.VerificationDeadline;

    /// <summary>The RP behind an API key, or the refusal to answer.</summary>
    public async Task<(RelyingPartyPolicy? Policy, VerifyOutcome? Refusal)> AuthenticateAsync(string? apiKey)
    {
        if (!ApiKeys.TryParse(apiKey, out var relyingPartyId, out var secret))
        {
            return (null, VerifyOutcome.Refused(401, "invalid_api_key", "Relying parties authenticate with 'Authorization: Bearer <api key>'."));
        }

        var policy = await directory.GetAsync(relyingPartyId);
        if (policy is null || !ApiKeys.Matches(policy, secret))
        {
            return (null, VerifyOutcome.Refused(401, "invalid_api_key", "The API key is not valid."));
        }

        return policy.Status != RelyingPartyStatus.Active
            ? (null, VerifyOutcome.Refused(403, "relying_party_suspended", "This relying party is suspended."))
            : (policy, null);
    }

    public async Task<VerifyOutcome> VerifyAsync(string? apiKey, VerifyInput input)
    {
        var started = Stopwatch.GetTimestamp();
        var (policy, refusal) = await AuthenticateAsync(apiKey);
        return refusal ?? await VerifyAsync(policy!, input, started);
    }

    /// <summary>For a caller that already authenticated the RP; <paramref name="started"/> starts the latency metric.</summary>
    public async Task<VerifyOutcome> VerifyAsync(RelyingPartyPolicy policy, VerifyInput input, long started)
    {

        if (!ScopeCatalog.TryGet(input.Scope, out _))
        {
            return VerifyOutcome.Refused(400, "invalid_scope", "'scope' must name a scope of the national catalogue (docs/api.md).");
        }

        var scope = policy.Scopes.FirstOrDefault(s => s.Name == input.Scope);
        if (scope is null)
        {
            return VerifyOutcome.Refused(403, "scope_not_allowed", "This relying party is not registered for that scope.");
        }

        if (string.IsNullOrEmpty(input.Presentation))
        {
            return VerifyOutcome.Refused(400, "presentation_missing", "The scanned QR text goes in 'presentation'.");
        }

        if (input.Face?.Problem() is { } faceProblem)
        {
            return VerifyOutcome.Refused(400, faceProblem, $"The face must have {FaceSample.Dimension} finite values and a liveness score between 0 and 1.");
        }

        if (input.Match is { } m
            && (m.Attribute is null || !DisclosableAttribute.All.Contains(m.Attribute) || string.IsNullOrEmpty(m.Value) || m.Value.Length > 200))
        {
            return VerifyOutcome.Refused(400, "invalid_match", "A match names a known attribute and a value of 1 to 200 characters.");
        }

        VerificationResult result;
        var crossProvince = false;
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
            var outcome = await DecideAsync(payload.CitizenHandle, new CitizenVerification(
                payload.CredentialId,
                payload.IssuedAt,
                payload.Nonce,
                payload.SignedBytes,
                payload.Signature,
                policy.RelyingPartyId,
                policy.Province,
                scope,
                input.Face,
                input.Match,
                Guid.CreateVersion7(clock.GetUtcNow())), started);
            result = outcome.Result;
            crossProvince = outcome.CrossProvince;
        }

        metrics.Verification(result.Verified, result.Reason, policy.Sector.ToString().ToLowerInvariant(), crossProvince, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return new VerifyOutcome(200, null, null, result);
    }

    /// <summary>
    /// Asks the citizen grain, again if the silo holding it fails mid-call (the cluster then activates the citizen on
    /// another silo), until the request's deadline. Every attempt carries the same verification id, so a decision the
    /// failed silo had already recorded is answered from the record: nothing is recorded or consumed twice.
    /// </summary>
    private async Task<CitizenVerificationOutcome> DecideAsync(string handle, CitizenVerification request, long started)
    {
        var backoff = FirstBackoff;
        while (true)
        {
            try
            {
                return await grains.GetGrain<ICitizenGrain>(handle).Verify(request);
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
