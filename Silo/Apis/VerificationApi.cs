using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Citizens;
using NationalId.History;
using NationalId.Protocol;
using NationalId.RelyingParties;
using NationalId.Telemetry;
using NationalId.Verification;

namespace NationalId.Silo.Apis;

/// <summary>
/// Relying-party terminals: verify a QR. The gateway authenticates the RP from its per-silo policy cache, opens the
/// presentation (CPU only, on whichever silo received the request) and asks the one citizen grain to decide.
/// </summary>
public static class VerificationApi
{
    public static IEndpointRouteBuilder MapVerificationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/verifications", Verify).WithTags("Relying parties").Accepts<VerificationRequest>("application/json");
        app.MapGet("/v1/relying-parties/me/verifications", ReadLog).WithTags("Relying parties");
        return app;
    }

    /// <summary>The RP's own verification log, newest first. It never names a citizen.</summary>
    public static async Task<Results<Ok<RelyingPartyLogView>, ProblemHttpResult>> ReadLog(
        HttpRequest request, RelyingPartyDirectory directory, IAccessHistory history, string? before = null, int? limit = null)
    {
        var (policy, problem) = await Authenticate(request, directory);
        if (problem is not null)
        {
            return problem;
        }

        if (HistoryViews.Cursor(before, out var cursor) is { } badCursor)
        {
            return badCursor;
        }

        var size = Math.Clamp(limit ?? 50, 1, 100);
        var records = await history.ReadRelyingPartyAsync(policy!.RelyingPartyId, cursor, size);
        var entries = records.Select(r => new RelyingPartyLogEntryView(
            r.EventId, r.RecordedAt, r.Scope, r.Verified, r.Reason, r.Assurance is { } a ? ApiJson.Name((Assurance)a) : null,
            r.DisclosedAttributes, r.CrossProvince)).ToList();
        return TypedResults.Ok(new RelyingPartyLogView(entries, entries.Count == size ? entries[^1].VerificationId.ToString() : null));
    }

    /// <summary>The RP behind the request's API key, or the 401/403 to answer.</summary>
    internal static async Task<(RelyingPartyPolicy? Policy, ProblemHttpResult? Problem)> Authenticate(HttpRequest request, RelyingPartyDirectory directory)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            || !ApiKeys.TryParse(authorization["Bearer ".Length..].Trim(), out var relyingPartyId, out var secret))
        {
            return (null, ApiErrors.Unauthorized("invalid_api_key", "Relying parties authenticate with 'Authorization: Bearer <api key>'."));
        }

        var policy = await directory.GetAsync(relyingPartyId);
        if (policy is null || !ApiKeys.Matches(policy, secret))
        {
            return (null, ApiErrors.Unauthorized("invalid_api_key", "The API key is not valid."));
        }

        return policy.Status != RelyingPartyStatus.Active
            ? (null, ApiErrors.Forbidden("relying_party_suspended", "This relying party is suspended."))
            : (policy, null);
    }

    public static async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> Verify(
        HttpRequest request,
        IGrainFactory grains,
        RelyingPartyDirectory directory,
        PresentationKeyRing keys,
        NationalIdMetrics metrics,
        TimeProvider clock)
    {
        var started = Stopwatch.GetTimestamp();
        var (policy, problem) = await Authenticate(request, directory);
        if (problem is not null)
        {
            return problem;
        }

        var (body, error) = await JsonBody.ReadAsync<VerificationRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (!ScopeCatalog.TryGet(body!.Scope, out _))
        {
            return ApiErrors.BadRequest("invalid_scope", "'scope' must name a scope of the national catalogue (docs/api.md).");
        }

        var scope = policy!.Scopes.FirstOrDefault(s => s.Name == body.Scope);
        if (scope is null)
        {
            return ApiErrors.Forbidden("scope_not_allowed", "This relying party is not registered for that scope.");
        }

        if (string.IsNullOrEmpty(body.Presentation))
        {
            return ApiErrors.BadRequest("presentation_missing", "The scanned QR text goes in 'presentation'.");
        }

        if (RequestValidation.Face(body.Face, out var face) is { } badFace)
        {
            return badFace;
        }

        MatchRequest? match = null;
        if (body.Match is { } m)
        {
            if (m.Attribute is null || !DisclosableAttribute.All.Contains(m.Attribute) || string.IsNullOrEmpty(m.Value) || m.Value.Length > 200)
            {
                return ApiErrors.BadRequest("invalid_match", "A match names a known attribute and a value of 1 to 200 characters.");
            }

            match = new MatchRequest(m.Attribute, m.Value);
        }

        VerificationResult result;
        var crossProvince = false;
        var opened = PresentationCodec.TryOpen(body.Presentation, keys.Find, out var payload);
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
            var outcome = await grains.GetGrain<ICitizenGrain>(payload.CitizenHandle).Verify(new CitizenVerification(
                payload.CredentialId,
                payload.IssuedAt,
                payload.Nonce,
                payload.SignedBytes,
                payload.Signature,
                policy.RelyingPartyId,
                policy.Province,
                scope,
                face,
                match));
            result = outcome.Result;
            crossProvince = outcome.CrossProvince;
        }

        metrics.Verification(result.Verified, result.Reason, ApiJson.Name(policy.Sector), crossProvince, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return TypedResults.Ok(new VerificationResponse(
            result.VerificationId,
            result.Verified,
            result.Reason,
            ApiJson.Name(result.Assurance),
            result.Pseudonym,
            result.Attributes,
            result.Match,
            result.CheckedAt));
    }
}
