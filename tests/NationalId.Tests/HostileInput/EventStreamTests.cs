using System.Net;
using System.Net.Http.Headers;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Tests.EndToEnd;

namespace NationalId.Tests.HostileInput;

/// <summary>
/// Event streams re-check their caller at every poll (a suspended RP's or a revoked phone's stream ends), are capped
/// per RP and per phone, and a phone's stream is exactly what it signed: the cursor and the mode are in the signed path.
/// </summary>
[Collection(GatewayCollection.Name)]
public class EventStreamTests(GatewayFixture gateway)
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private static HttpRequestMessage RpStream(string apiKey)
    {
        var request = EventFeed.Page(apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return request;
    }

    /// <summary>Reads the stream to its end; the server ending it is the event awaited.</summary>
    private static async Task ReadToEndAsync(HttpResponseMessage response)
    {
        using var timeout = new CancellationTokenSource(Guard);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        while (await reader.ReadLineAsync(timeout.Token) is not null)
        {
        }
    }

    [Fact]
    public async Task A_suspended_rps_open_stream_ends_and_it_cannot_reopen_one()
    {
        using var story = new Story(gateway);
        var rp = await story.RegisterAsync("hotel", "44", "hotel.checkin");
        using var response = await story.Http.SendAsync(RpStream(rp.ApiKey), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ended = ReadToEndAsync(response);

        Assert.Equal(HttpStatusCode.NoContent, (await story.Http.PostAsOperator(gateway.OperatorKey, $"/v1/operator/relying-parties/{rp.RelyingPartyId}/suspend",
            new RelyingPartyStatusRequest("contract ended"))).StatusCode);
        await ended;

        using var again = await story.Http.SendAsync(RpStream(rp.ApiKey), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
        Assert.Equal("relying_party_suspended", await Story.ErrorCodeAsync(again));
    }

    [Fact]
    public async Task A_revoked_phones_open_stream_ends()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);
        using var response = await story.Http.SendAsync(
            phone.SignedRequest(HttpMethod.Get, "/v1/wallet/events?stream=true", [], withCredential: true), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var ended = ReadToEndAsync(response);

        Assert.Equal(HttpStatusCode.NoContent, (await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/credentials/revoke",
            new CounterCredentialRequest(id.Value, phone.File.CredentialId, "stolen", FaceVectors.Live(FaceVectors.Capture(face, 3)), "counter"))).StatusCode);
        await ended;
    }

    [Fact]
    public async Task Streams_beyond_the_cap_of_an_rp_or_a_phone_are_429_too_many_streams()
    {
        using var story = new Story(gateway);
        var rp = await story.RegisterAsync("bank", "44", "bank.account");
        var open = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                open.Add(await story.Http.SendAsync(RpStream(rp.ApiKey), HttpCompletionOption.ResponseHeadersRead));
                Assert.Equal(HttpStatusCode.OK, open[^1].StatusCode);
            }

            using var fifth = await story.Http.SendAsync(RpStream(rp.ApiKey), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.TooManyRequests, fifth.StatusCode);
            Assert.Equal("too_many_streams", await Story.ErrorCodeAsync(fifth));
            Assert.NotNull(fifth.Headers.RetryAfter);

            var (id, face) = await story.EnrollAsync();
            using var phone = await story.ActivateAsync(id, face);
            for (var i = 0; i < 2; i++)
            {
                open.Add(await story.Http.SendAsync(phone.SignedRequest(HttpMethod.Get, "/v1/wallet/events?stream=true", [], withCredential: true), HttpCompletionOption.ResponseHeadersRead));
                Assert.Equal(HttpStatusCode.OK, open[^1].StatusCode);
            }

            using var third = await story.Http.SendAsync(phone.SignedRequest(HttpMethod.Get, "/v1/wallet/events?stream=true", [], withCredential: true), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal("too_many_streams", await Story.ErrorCodeAsync(third));
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public async Task A_phones_signed_read_cannot_be_replayed_with_another_cursor_or_as_a_stream()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);

        var moved = phone.SignedRequest(HttpMethod.Get, "/v1/wallet/events", [], withCredential: true);
        moved.Headers.Add("Last-Event-ID", Guid.CreateVersion7().ToString());
        using var movedResponse = await story.Http.SendAsync(moved);
        Assert.Equal(HttpStatusCode.BadRequest, movedResponse.StatusCode);
        Assert.Equal("unsigned_parameter", await Story.ErrorCodeAsync(movedResponse));

        var streamed = phone.SignedRequest(HttpMethod.Get, "/v1/wallet/events", [], withCredential: true);
        streamed.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var streamedResponse = await story.Http.SendAsync(streamed);
        Assert.Equal(HttpStatusCode.BadRequest, streamedResponse.StatusCode);
        Assert.Equal("unsigned_parameter", await Story.ErrorCodeAsync(streamedResponse));

        // The query is signed: changing it after signing breaks the signature.
        var tampered = phone.SignedRequest(HttpMethod.Get, "/v1/wallet/events", [], withCredential: true);
        tampered.RequestUri = new Uri("/v1/wallet/events?stream=true", UriKind.Relative);
        using var tamperedResponse = await story.Http.SendAsync(tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, tamperedResponse.StatusCode);
    }
}
