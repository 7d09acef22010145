using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Citizens;
using NationalId.Errors;
using NationalId.History;
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
    /// <summary>Maps onto the RP group (/v1): open at the group, each request carries the RP's API key.</summary>
    public static RouteGroupBuilder MapVerificationApi(this RouteGroupBuilder api)
    {
        api.MapPost("/verifications", Verify).Accepts<VerificationRequest>("application/json");
        api.MapPost("/verifications/in-person", VerifyInPerson).Accepts<InPersonVerificationRequest>("application/json");
        api.MapGet("/relying-parties/me/verifications", ReadLog);
        return api;
    }

    /// <summary>The RP's own verification log, newest first. It never names a citizen.</summary>
    public static async Task<Results<Ok<RelyingPartyLogView>, ProblemHttpResult>> ReadLog(
        HttpRequest request, Verifier verifier, IAccessHistory history, string? before = null, int? limit = null)
    {
        var (policy, problem) = await Authenticate(request, verifier);
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
            r.DisclosedAttributes, CrossProvinceSeen(r))).ToList();
        return TypedResults.Ok(new RelyingPartyLogView(entries, entries.Count == size ? entries[^1].VerificationId.ToString() : null));
    }

    /// <summary>
    /// Whether the citizen was from another province, told only where the answer disclosed the home province anyway
    /// (as itself or inside the ID number):
    /// for any other scope it would tell the RP something about the citizen the scope does not allow.
    /// </summary>
    private static bool? CrossProvinceSeen(HistoryRecord r) =>
        r.DisclosedAttributes is { } disclosed
        && (disclosed.Contains(DisclosableAttribute.HomeProvince, StringComparer.Ordinal) || disclosed.Contains(DisclosableAttribute.IdNumber, StringComparer.Ordinal)) // its first two digits
            ? r.CrossProvince
            : null;

    /// <summary>The RP behind the request's API key, or the 401/403 to answer.</summary>
    internal static async Task<(RelyingPartyPolicy? Policy, ProblemHttpResult? Problem)> Authenticate(HttpRequest request, Verifier verifier)
    {
        var (policy, refusal) = await AuthenticateFromSource(request, verifier, admit: false);
        return refusal is null ? (policy, null) : (null, Refuse(request, refusal));
    }

    /// <summary>
    /// The RP's authentication, within its source's budget of refused ones: a source that spent it is refused before
    /// any key is looked up (made-up keys would each cost a directory miss, a grain call).
    /// </summary>
    private static async Task<(RelyingPartyPolicy? Policy, VerifyOutcome? Refusal)> AuthenticateFromSource(HttpRequest request, Verifier verifier, bool admit)
    {
        var failures = request.HttpContext.RequestServices.GetRequiredService<FailedAuthentications>();
        var source = failures.Source(request.HttpContext);
        if (!failures.MayTry(source))
        {
            request.HttpContext.RequestServices.GetRequiredService<NationalIdMetrics>().RateLimited("rp_authentication");
            return (null, VerifyOutcome.Refused(ErrorCodes.TooManyRequests, "Too many refused API keys from this source; retry in a minute.") with { RetryAfterSeconds = 60 });
        }

        var (policy, refusal) = await verifier.AuthenticateAsync(BearerKey(request), admit);
        if (refusal?.ErrorCode == ErrorCodes.InvalidApiKey)
        {
            failures.Refused(source);
        }

        return (policy, refusal);
    }

    /// <summary>The same from an Authorization header kept aside (a stream re-checks it at every poll).</summary>
    internal static async Task<(RelyingPartyPolicy? Policy, ProblemHttpResult? Problem)> Authenticate(string authorization, Verifier verifier)
    {
        var (policy, refusal) = await verifier.AuthenticateAsync(BearerKey(authorization));
        return refusal is null ? (policy, null) : (null, ApiErrors.Problem(refusal.ErrorCode!, refusal.Detail!));
    }

    public static async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> Verify(HttpRequest request, Verifier verifier, TimeProvider clock)
    {
        var started = Stopwatch.GetTimestamp();
        var (policy, body, problem) = await Admit<VerificationRequest>(request, verifier, clock);
        if (problem is not null)
        {
            return problem;
        }

        // Shapes are passed on as they came; the verifier checks them in its documented order (scope first).
        return Answer(await verifier.VerifyAsync(policy!, new VerifyInput(body!.Scope, body.Presentation, Face(body.Face), Match(body.Match), body.OnBehalfOf), started));
    }

    /// <summary>A counter verification for someone without a phone: same answer as a QR verification.</summary>
    public static async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> VerifyInPerson(HttpRequest request, Verifier verifier, TimeProvider clock)
    {
        var started = Stopwatch.GetTimestamp();
        var (policy, body, problem) = await Admit<InPersonVerificationRequest>(request, verifier, clock);
        if (problem is not null)
        {
            return problem;
        }

        return Answer(await verifier.VerifyInPersonAsync(policy!, new InPersonInput(body!.Scope, body.IdNumber, Face(body.Face), Match(body.Match)), started));
    }

    /// <summary>
    /// What every verification request goes through first: authenticate and admit the RP (rate limit, daily quota)
    /// before the body is read, so an unknown or refused caller's payload is never parsed; then the body, its
    /// signature when the RP signs, and its JSON.
    /// </summary>
    private static async Task<(RelyingPartyPolicy? Policy, T? Body, ProblemHttpResult? Problem)> Admit<T>(HttpRequest request, Verifier verifier, TimeProvider clock)
        where T : class
    {
        var (policy, refusal) = await AuthenticateFromSource(request, verifier, admit: true);
        if (refusal is not null)
        {
            return (null, default, Refuse(request, refusal));
        }

        var (bytes, readError) = await JsonBody.ReadBytesAsync(request);
        if (readError is not null)
        {
            return (null, default, readError);
        }

        if (RequestSigning.Check(request, policy!, bytes!, clock) is { } unsigned)
        {
            return (null, default, unsigned);
        }

        var (body, error) = JsonBody.Parse<T>(bytes!, ApiJson.Options);
        return (policy, body, error);
    }

    private static FaceSample? Face(FaceInput? face) => face is { } f ? new FaceSample(f.Template!, f.Liveness ?? double.NaN) : null;

    private static MatchRequest? Match(MatchInput? match) => match is { } m ? new MatchRequest(m.Attribute!, m.Value!) : null;

    private static ProblemHttpResult Refuse(HttpRequest request, VerifyOutcome refusal)
    {
        if (refusal.RetryAfterSeconds is { } seconds)
        {
            request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return ApiErrors.Problem(refusal.ErrorCode!, refusal.Detail!);
    }

    private static Results<Ok<VerificationResponse>, ProblemHttpResult> Answer(VerifyOutcome outcome)
    {
        if (outcome.Result is not { } result)
        {
            return ApiErrors.Problem(outcome.ErrorCode!, outcome.Detail!);
        }

        return TypedResults.Ok(new VerificationResponse(
            result.VerificationId,
            result.Verified,
            result.Reason,
            ApiJson.Name(result.Assurance),
            result.Pseudonym,
            result.Attributes,
            result.Match,
            result.CheckedAt,
            result.Delegated,
            result.DelegatePseudonym));
    }

    private static string? BearerKey(HttpRequest request) => BearerKey(request.Headers.Authorization.ToString());

    private static string? BearerKey(string authorization)
    {
        return authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
