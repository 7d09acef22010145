using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Citizens;
using NationalId.Events;
using NationalId.History;
using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Silo.Apis;

/// <summary>
/// Event feeds: RPs with offline caches follow status changes of citizens they verified (by their own pseudonym);
/// a citizen's phones follow what happens to the citizen's credentials. Server-sent events when the client asks for
/// text/event-stream, otherwise one JSON page.
/// </summary>
public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/relying-parties/me/events", RelyingPartyEvents).WithTags("Relying parties");
        app.MapGet("/v1/wallet/events", WalletEvents).WithTags("Wallet");
        return app;
    }

    public static async Task<Results<Ok<RelyingPartyEventsView>, ProblemHttpResult, EmptyHttpResult>> RelyingPartyEvents(
        HttpContext context, Verifier verifier, IRelyingPartyFeed feed, TimeProvider clock, string? after = null)
    {
        var (policy, problem) = await VerificationApi.Authenticate(context.Request, verifier);
        if (problem is not null)
        {
            return problem;
        }

        var resume = EventStream.ResumeAfter(context.Request, after);
        if (!TryParseSequence(resume, out var sequence))
        {
            return ApiErrors.BadRequest("invalid_cursor", "Resume with the numeric id of the last event received.");
        }

        if (!EventStream.Wanted(context.Request))
        {
            var page = await feed.ReadAsync(policy!.RelyingPartyId, sequence, 100);
            return TypedResults.Ok(new RelyingPartyEventsView(page.Select(View).ToList()));
        }

        await EventStream.RunAsync(context, resume, async (position, token) =>
        {
            _ = TryParseSequence(position, out var from);
            var entries = await feed.ReadAsync(policy!.RelyingPartyId, from, 100, token);
            return entries.Select(e => new EventStream.Item(e.Sequence.ToString(CultureInfo.InvariantCulture), e.Kind, View(e))).ToList();
        }, clock);
        return TypedResults.Empty;
    }

    public static async Task<Results<Ok<WalletEventsView>, ProblemHttpResult, EmptyHttpResult>> WalletEvents(
        HttpContext context, IGrainFactory grains, IAccessHistory history, TimeProvider clock, string? after = null)
    {
        if (DeviceAuthentication.Read(context.Request, [], clock, out var handle, out var signed) is { } unsigned)
        {
            return unsigned;
        }

        var resume = EventStream.ResumeAfter(context.Request, after);
        Guid? cursor = null;
        if (resume is not null)
        {
            if (!Guid.TryParse(resume, out var parsed) || !UuidV7.IsCursor(parsed))
            {
                return ApiErrors.BadRequest("invalid_cursor", "Resume with the id of the last event received.");
            }

            cursor = parsed;
        }

        // The signature is checked once, when the feed is opened, by the grain that holds the device keys.
        if (await grains.GetGrain<ICitizenGrain>(handle).CheckDevice(signed) is { } refused)
        {
            return ApiErrors.FromCode(refused);
        }

        async Task<IReadOnlyList<WalletEventView>> After(Guid? position, CancellationToken token) =>
            (await history.ReadCitizenEventsAsync(handle, position, 100, token))
                .Select(e => new WalletEventView(e.EventId, e.Kind, e.RecordedAt, e.CredentialId is null ? null : Protocol.Base64Url.Encode(e.CredentialId), e.Channel, e.Note))
                .ToList();

        if (!EventStream.Wanted(context.Request))
        {
            return TypedResults.Ok(new WalletEventsView(await After(cursor, context.RequestAborted)));
        }

        await EventStream.RunAsync(context, resume, async (position, token) =>
            (await After(position is null ? null : Guid.Parse(position), token)).Select(e => new EventStream.Item(e.EventId.ToString(), e.Kind, e)).ToList(), clock);
        return TypedResults.Empty;
    }

    private static bool TryParseSequence(string? text, out long sequence)
    {
        sequence = 0;
        return text is null || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out sequence) && sequence >= 0);
    }

    private static RelyingPartyEventView View(RelyingPartyFeedEntry e) => new(e.Sequence, e.EventId, e.Kind, e.Pseudonym, e.At);
}
