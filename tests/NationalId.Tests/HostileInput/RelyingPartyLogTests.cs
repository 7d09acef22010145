using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Tests.EndToEnd;

namespace NationalId.Tests.HostileInput;

/// <summary>The RP's own log tells it nothing its scope did not: no home-province oracle for result-only scopes.</summary>
[Collection(GatewayCollection.Name)]
public class RelyingPartyLogTests(GatewayFixture gateway)
{
    private static async Task<RelyingPartyLogEntryView> NewestAsync(HttpClient http, string apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/relying-parties/me/verifications?limit=1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RelyingPartyLogView>(ApiClientJson.Options))!.Entries.Single();
    }

    [Fact]
    public async Task Cross_province_is_in_the_rps_log_only_where_the_answer_disclosed_the_home_province()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync("510104"); // Sichuan, verified in Guangdong
        using var phone = await story.ActivateAsync(id, face);
        var rp = await story.RegisterAsync("government", "44", "rail.gate", "age.over18", "gov.service");

        foreach (var scope in new[] { "rail.gate", "age.over18" })
        {
            Assert.True((await story.VerifyAsync(rp.ApiKey, scope, phone.Present())).Verified);
            Assert.Null((await NewestAsync(story.Http, rp.ApiKey)).CrossProvince);
        }

        Assert.True((await story.VerifyAsync(rp.ApiKey, "gov.service", phone.Present(), FaceVectors.Live(FaceVectors.Capture(face, 4)))).Verified);
        Assert.True((await NewestAsync(story.Http, rp.ApiKey)).CrossProvince);
    }
}
