using System.Net;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Silo.Apis;

namespace NationalId.Tests.EndToEnd;

/// <summary>RP controls: rate limits and daily quotas (429 with Retry-After, nothing recorded), key rotation, signed requests.</summary>
[Collection(GatewayCollection.Name)]
public class RelyingPartyControlTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Past_its_rate_an_rp_gets_429_with_retry_after_and_nothing_is_recorded()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);
        var rp = await Register(story, new RegisterRelyingPartyRequest("Small gate", "rail", "51", ["rail.gate"], RateLimitPerSecond: 2));

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => story.Http.VerifyAsync(rp.ApiKey, new VerificationRequest("rail.gate", phone.Present(), null, null))));
        var limited = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(limited.Count, 8, 11); // 2 per second: a burst of 12 gets 2 (3 if a second turns)
        Assert.All(limited, a => Assert.NotNull(a.Headers.RetryAfter));
        Assert.Equal("rate_limited", await Story.ErrorCodeAsync(limited[0]));
        Assert.Equal(12 - limited.Count, await Logged(story, rp.ApiKey));
    }

    [Fact]
    public async Task Past_its_daily_quota_an_rp_gets_429_until_midnight()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);
        var rp = await Register(story, new RegisterRelyingPartyRequest("Quota bar", "other", "51", ["age.over18"], DailyQuota: 3));

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await story.VerifyAsync(rp.ApiKey, "age.over18", phone.Present())).Verified);
        }

        var over = await story.Http.VerifyAsync(rp.ApiKey, new VerificationRequest("age.over18", phone.Present(), null, null));
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal("quota_exceeded", await Story.ErrorCodeAsync(over));
        Assert.InRange(over.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 86_400);
        Assert.Equal(3, await Logged(story, rp.ApiKey));
    }

    [Fact]
    public async Task A_rotated_key_works_beside_the_old_one_until_the_old_one_is_retired()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);
        var rp = await story.RegisterAsync("rail", "51", "rail.gate");

        var added = await story.Http.PostAsOperator(gateway.OperatorKey, $"/v1/operator/relying-parties/{rp.RelyingPartyId}/keys", new { });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var newKey = (await added.Content.ReadFromJsonAsync<RegisterRelyingPartyResponse>(ApiClientJson.Options))!.ApiKey;
        Assert.True((await story.VerifyAsync(rp.ApiKey, "rail.gate", phone.Present())).Verified);
        Assert.True((await story.VerifyAsync(newKey, "rail.gate", phone.Present())).Verified);

        Assert.Equal(HttpStatusCode.NoContent, (await story.Http.PostAsOperator(gateway.OperatorKey, $"/v1/operator/relying-parties/{rp.RelyingPartyId}/keys/retire", new { })).StatusCode);
        var old = await story.Http.VerifyAsync(rp.ApiKey, new VerificationRequest("rail.gate", phone.Present(), null, null));
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.True((await story.VerifyAsync(newKey, "rail.gate", phone.Present())).Verified);
    }

    [Fact]
    public async Task An_rp_that_signs_its_requests_is_refused_without_a_valid_signature()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);
        var rp = await Register(story, new RegisterRelyingPartyRequest("Signing bank", "rail", "51", ["rail.gate"], SignedRequests: true));

        var unsigned = await story.Http.VerifyAsync(rp.ApiKey, new VerificationRequest("rail.gate", phone.Present(), null, null));
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal("signature_required", await Story.ErrorCodeAsync(unsigned));

        var qr = phone.Present();
        Assert.Equal("signature_invalid", await Story.ErrorCodeAsync(await Signed(story, rp.ApiKey, qr, tamper: true)));
        var good = await Signed(story, rp.ApiKey, qr, tamper: false);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.True((await good.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options))!.Verified);
        Assert.Equal(1, await Logged(story, rp.ApiKey)); // the refused ones reached no citizen
    }

    private static async Task<HttpResponseMessage> Signed(Story story, string apiKey, string qr, bool tamper)
    {
        var body = ApiClientJson.Serialize(new VerificationRequest("rail.gate", qr, null, null));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = RequestSigning.Sign(apiKey, "POST", "/v1/verifications", timestamp, body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications") { Content = new ByteArrayContent(tamper ? [.. body, (byte)' '] : body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        request.Headers.Add(RequestSigning.TimestampHeader, timestamp);
        request.Headers.Add(RequestSigning.SignatureHeader, signature);
        return await story.Http.SendAsync(request);
    }

    private static async Task<RegisterRelyingPartyResponse> Register(Story story, RegisterRelyingPartyRequest body)
    {
        var response = await story.Http.PostAsOperator(story.OperatorKey, "/v1/operator/relying-parties", body with { LegalName = body.LegalName + " " + Guid.NewGuid().ToString("N")[..6] });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RegisterRelyingPartyResponse>(ApiClientJson.Options))!;
    }

    private static async Task<int> Logged(Story story, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/relying-parties/me/verifications?limit=100");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        var page = await (await story.Http.SendAsync(request)).Content.ReadFromJsonAsync<RelyingPartyLogView>(ApiClientJson.Options);
        return page!.Entries.Count;
    }
}
