using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Wallet;

namespace NationalId.Tests.EndToEnd;

/// <summary>Credential events reach RPs with offline caches (by their own pseudonym) and the citizen's other phones.</summary>
[Collection(GatewayCollection.Name)]
public class EventFeedTests(GatewayFixture gateway)
{
    [Fact]
    public async Task An_rp_that_verified_a_citizen_hears_of_the_suspension_under_its_own_pseudonym()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        var stranger = await story.RegisterAsync("other", "31", "age.over18");
        using var phone = await story.ActivateAsync(id, face);
        var verified = await story.VerifyAsync(rail.ApiKey, "rail.gate", phone.Present());

        await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/credentials/suspend",
            new CounterCredentialRequest(id.Value, phone.File.CredentialId, "misplaced", null, "hotline"));

        var received = await EventFeed.WaitForAsync(story.Http, rail.ApiKey, after: null, e => e.Kind == "suspended");
        Assert.Equal(verified.Pseudonym, received.Data.Pseudonym);

        var others = await story.Http.SendAsync(EventFeed.Page(stranger.ApiKey));
        Assert.Empty((await others.Content.ReadFromJsonAsync<RelyingPartyEventsView>(ApiClientJson.Options))!.Events);
    }

    [Fact]
    public async Task A_phone_hears_that_another_phone_was_bound()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var first = await story.ActivateAsync(id, face);
        var start = await ReadWalletEvents(story, first, null);
        var cursor = start.Events[^1].EventId.ToString();

        using var second = await story.ActivateAsync(id, face);
        var news = await ReadWalletEvents(story, first, cursor);
        var bound = Assert.Single(news.Events);
        Assert.Equal("bound", bound.Kind);
        Assert.Equal(second.File.CredentialId, bound.CredentialId);
    }

    private static async Task<WalletEventsView> ReadWalletEvents(Story story, Wallet phone, string? after)
    {
        var request = phone.SignedRequest(HttpMethod.Get, "/v1/wallet/events" + (after is null ? string.Empty : $"?after={after}"), [], withCredential: true);
        var response = await story.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WalletEventsView>(ApiClientJson.Options))!;
    }
}

/// <summary>Reads an RP's event feed as a real SSE client does.</summary>
public static class EventFeed
{
    public sealed record Received(string Id, string Kind, RelyingPartyEventView Data);

    public static HttpRequestMessage Page(string apiKey, string? after = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/relying-parties/me/events" + (after is null ? string.Empty : $"?after={after}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return request;
    }

    /// <summary>Opens the SSE stream (resuming after <paramref name="after"/>) and returns the first matching event.</summary>
    public static async Task<Received> WaitForAsync(HttpClient http, string apiKey, string? after, Func<Received, bool> match)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var request = Page(apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (after is not null)
        {
            request.Headers.Add("Last-Event-ID", after);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        string? id = null, kind = null;
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = System.Text.Json.JsonSerializer.Deserialize<RelyingPartyEventView>(line[6..], ApiClientJson.Options)!;
                var received = new Received(id!, kind!, data);
                if (match(received))
                {
                    return received;
                }
            }
        }

        throw new InvalidOperationException("The event stream ended without the expected event.");
    }
}
