using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NationalId.Api;
using NationalId.Citizens;
using NationalId.Errors;
using NationalId.Events;
using NationalId.History;
using NationalId.Protocol;
using NationalId.Verification;

namespace NationalId.Silo.Apis;

/// <summary>
/// Event feeds: RPs with offline caches follow status changes of citizens they verified (by their own pseudonym);
/// a citizen's phones follow what happens to the citizen's credentials. Server-sent events when asked for, otherwise
/// one JSON page. Streams are capped per RP and per phone, re-check their caller's authority at every poll, and an
/// RP's streams on one silo share one database poll.
/// </summary>
public static class EventsApi
{
    /// <summary>The RP's feed onto the RP group (/v1), the phones' onto the wallet group (/v1/wallet).</summary>
    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder relyingParties, RouteGroupBuilder wallet)
    {
        relyingParties.MapGet("/relying-parties/me/events", RelyingPartyEvents);
        wallet.MapGet("/events", WalletEvents);
        return relyingParties;
    }

    public static async Task<Results<Ok<RelyingPartyEventsView>, ProblemHttpResult, EmptyHttpResult>> RelyingPartyEvents(
        HttpContext context, Verifier verifier, IRelyingPartyFeed feed, RelyingPartyFeedHub hub, EventStreamLimits limits,
        IOptions<GatewayApiOptions> options, TimeProvider clock, string? after = null)
    {
        var (policy, problem) = await VerificationApi.Authenticate(context.Request, verifier);
        if (problem is not null)
        {
            return problem;
        }

        var resume = EventStream.ResumeAfter(context.Request, after);
        if (!TryParseSequence(resume, out var sequence))
        {
            return ApiErrors.Problem(ErrorCodes.InvalidCursor, "Resume with the numeric id of the last event received.");
        }

        if (!EventStream.Wanted(context.Request))
        {
            var page = await feed.ReadAsync(policy!.RelyingPartyId, sequence, 100);
            return TypedResults.Ok(new RelyingPartyEventsView(page.Select(View).ToList()));
        }

        using var lease = limits.TryOpen("rp:" + policy!.RelyingPartyId, options.Value.MaxStreamsPerRelyingParty);
        if (lease is null)
        {
            return TooManyStreams(context, options.Value.MaxStreamsPerRelyingParty);
        }

        var bearer = context.Request.Headers.Authorization.ToString();
        using var subscription = hub.Subscribe(policy.RelyingPartyId, sequence);
        await EventStream.RunAsync(context, resume, async (position, token) =>
        {
            // Suspended, its key retired, its registration gone: the policy cache says so within its TTL.
            var (still, _) = await VerificationApi.Authenticate(bearer, verifier);
            if (still is null)
            {
                return null;
            }

            _ = TryParseSequence(position, out var from);
            var entries = await subscription.AfterAsync(from, token);
            return entries.Select(e => new EventStream.Item(e.Sequence.ToString(CultureInfo.InvariantCulture), e.Kind, View(e))).ToList();
        }, clock);
        return TypedResults.Empty;
    }

    public static async Task<Results<Ok<WalletEventsView>, ProblemHttpResult, EmptyHttpResult>> WalletEvents(
        HttpContext context, IGrainFactory grains, IAccessHistory history, EventStreamLimits limits, IOptions<GatewayApiOptions> options,
        TimeProvider clock, string? after = null, bool? stream = null)
    {
        if (DeviceAuthentication.Read(context.Request, [], clock, out var handle, out var signed) is { } unsigned)
        {
            return unsigned;
        }

        // What the request asks for must be what the phone signed: the cursor is the signed 'after', the mode the
        // signed 'stream'. A replayed signature can then neither move the cursor nor turn a page into a stream.
        if (context.Request.Headers["Last-Event-ID"].FirstOrDefault() is { Length: > 0 } lastEventId && lastEventId != after)
        {
            return ApiErrors.Problem(ErrorCodes.UnsignedParameter, "A phone resumes with the signed 'after' query parameter, not a Last-Event-ID header.");
        }

        var wantsStream = stream == true;
        if (EventStream.Wanted(context.Request) && !wantsStream)
        {
            return ApiErrors.Problem(ErrorCodes.UnsignedParameter, "A phone asks for server-sent events with the signed 'stream=true' query parameter.");
        }

        Guid? cursor = null;
        if (after is not null)
        {
            if (!Guid.TryParse(after, out var parsed) || !UuidV7.IsCursor(parsed))
            {
                return ApiErrors.Problem(ErrorCodes.InvalidCursor, "Resume with the id of the last event received.");
            }

            cursor = parsed;
        }

        var citizen = grains.GetGrain<ICitizenGrain>(handle);
        if (await citizen.CheckDevice(signed) is { } refused)
        {
            return ApiErrors.FromCode(refused);
        }

        async Task<IReadOnlyList<WalletEventView>> After(Guid? position, CancellationToken token) =>
            (await history.ReadCitizenEventsAsync(handle, position, 100, token))
                .Select(e => new WalletEventView(e.EventId, e.Kind, e.RecordedAt, e.CredentialId is null ? null : Base64Url.Encode(e.CredentialId), e.Channel, e.Note))
                .ToList();

        if (!wantsStream)
        {
            return TypedResults.Ok(new WalletEventsView(await After(cursor, context.RequestAborted)));
        }

        using var lease = limits.TryOpen("device:" + handle + ":" + Base64Url.Encode(signed.CredentialId), options.Value.MaxStreamsPerDevice);
        if (lease is null)
        {
            return TooManyStreams(context, options.Value.MaxStreamsPerDevice);
        }

        await EventStream.RunAsync(context, after, async (position, token) =>
        {
            // A phone suspended or revoked since the stream opened hears nothing more.
            if (!await citizen.IsActiveCredential(signed.CredentialId))
            {
                return null;
            }

            return (await After(position is null ? null : Guid.Parse(position), token)).Select(e => new EventStream.Item(e.EventId.ToString(), e.Kind, e)).ToList();
        }, clock);
        return TypedResults.Empty;
    }

    private static ProblemHttpResult TooManyStreams(HttpContext context, int max)
    {
        context.Response.Headers.RetryAfter = "10";
        return ApiErrors.Problem(ErrorCodes.TooManyStreams, $"At most {max} event streams at a time on one gateway; close one first.");
    }

    private static bool TryParseSequence(string? text, out long sequence)
    {
        sequence = 0;
        return text is null || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out sequence) && sequence >= 0);
    }

    private static RelyingPartyEventView View(RelyingPartyFeedEntry e) => new(e.Sequence, e.EventId, e.Kind, e.Pseudonym, e.At);
}
