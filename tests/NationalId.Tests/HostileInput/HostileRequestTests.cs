using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;
using NationalId.Tests.EndToEnd;
using NationalId.Tests.Support;

namespace NationalId.Tests.HostileInput;

/// <summary>
/// Generated text in every free-text member of every endpoint that takes one, through real HTTP: text breaking the rule
/// is 400 invalid_text and changes nothing; any answer is a 2xx or a 4xx with a code; and afterwards the citizen can
/// still be suspended, revoked, unlocked and have their history read. Also: framework answers (unbindable query,
/// unknown route, wrong method, wrong media type) are ProblemDetails with codes, and every 401 says how to authenticate.
/// </summary>
[Collection(GatewayCollection.Name)]
public class HostileRequestTests(GatewayFixture gateway)
{
    private const string Hole = "\"__TEXT__\"";

    /// <summary>One way into the service with a free-text member: the body with a hole for the text, and how it is sent.</summary>
    private sealed record Field(string Name, Func<string, HttpRequestMessage> Request);

    private sealed class World(Story story, GatewayFixture gateway) : IDisposable
    {
        public Story Story { get; } = story;
        public string IdNumber { get; set; } = string.Empty;
        public float[] Face { get; set; } = [];
        public Wallet Phone { get; set; } = null!;
        public Wallet Spare { get; set; } = null!;
        public RegisterRelyingPartyResponse Bank { get; set; } = null!;
        public RegisterRelyingPartyResponse Hotel { get; set; } = null!;

        public string Face_() => JsonSerializer.Serialize(FaceVectors.Live(FaceVectors.Capture(Face, Random.Shared.Next())), ApiClientJson.Options);

        public HttpRequestMessage Operator(string path, string body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Operator-Key", gateway.OperatorKey);
            return request;
        }

        public void Dispose()
        {
            Phone.Dispose();
            Spare.Dispose();
        }
    }

    private async Task<World> WorldAsync(Story story)
    {
        var (id, face) = await story.EnrollAsync();
        var world = new World(story, gateway) { IdNumber = id.Value, Face = face };
        world.Phone = await story.ActivateAsync(id, face);
        world.Spare = await story.ActivateAsync(id, face);
        world.Bank = await story.RegisterAsync("bank", "44", "bank.account");
        world.Hotel = await story.RegisterAsync("hotel", "44", "hotel.checkin");
        return world;
    }

    private static IReadOnlyList<Field> Fields(World w) =>
    [
        new("enroll name", text => w.Operator("/v1/operator/citizens",
            $$"""{"idNumber":"{{TestIdentities.Next().Value}}","name":{{text}},"face":{{w.Face_()}}}""")),
        new("hotline suspend reason", text => w.Operator("/v1/operator/citizens/credentials/suspend",
            $$"""{"idNumber":"{{w.IdNumber}}","credentialId":"{{w.Spare.File.CredentialId}}","reason":{{text}},"channel":"hotline"}""")),
        new("counter lock reason", text => w.Operator("/v1/operator/citizens/lock",
            $$"""{"idNumber":"{{w.IdNumber}}","reason":{{text}},"channel":"hotline"}""")),
        new("counter unlock reason", text => w.Operator("/v1/operator/citizens/unlock",
            $$"""{"idNumber":"{{w.IdNumber}}","reason":{{text}},"face":{{w.Face_()}}}""")),
        new("operator history reason", text => w.Operator("/v1/operator/citizens/history",
            $$"""{"idNumber":"{{w.IdNumber}}","reason":{{text}}}""")),
        new("rp legal name", text => w.Operator("/v1/operator/relying-parties",
            $$"""{"legalName":{{text}},"sector":"hotel","province":"44","scopes":["hotel.checkin"]}""")),
        new("rp suspension reason", text => w.Operator($"/v1/operator/relying-parties/{w.Hotel.RelyingPartyId}/suspend",
            $$"""{"reason":{{text}}}""")),
        new("wallet lock reason", text => w.Phone.SignedRequest(HttpMethod.Post, "/v1/wallet/lock",
            Encoding.UTF8.GetBytes($$"""{"reason":{{text}}}"""), withCredential: true)),
        new("wallet suspend reason", text => w.Phone.SignedRequest(HttpMethod.Post, "/v1/wallet/credentials/suspend",
            Encoding.UTF8.GetBytes($$"""{"credentialId":"{{w.Spare.File.CredentialId}}","reason":{{text}}}"""), withCredential: true)),
        new("activation device label", text =>
        {
            var phone = Wallet.Create();
            return phone.SignedRequest(HttpMethod.Post, "/v1/wallet/activations", Encoding.UTF8.GetBytes(
                $$"""{"idNumber":"{{w.IdNumber}}","publicKey":"{{phone.PublicKey}}","face":{{w.Face_()}},"deviceLabel":{{text}}}"""), withCredential: false);
        }),
        new("match value", text =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications")
            {
                Content = new StringContent($$$"""{"scope":"bank.account","presentation":"{{{w.Phone.Present()}}}","match":{"attribute":"name","value":{{{text}}}}}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", w.Bank.ApiKey);
            return request;
        }),
    ];

    // Every write the service makes shows here: a grain state's version, or a history line.
    private const string Writes =
        "SELECT (SELECT coalesce(sum(version), 0) FROM orleans_grain_state WHERE grain_type NOT LIKE '%quota%') * 1000000 + (SELECT count(*) FROM access_history)";

    [Fact]
    public async Task Text_breaking_the_rule_in_any_free_text_field_is_invalid_text_and_changes_nothing()
    {
        using var story = new Story(gateway);
        using var world = await WorldAsync(story);
        var fields = Fields(world);
        var before = await gateway.Database.CountAsync(Writes);
        var wrong = new List<string>();
        await Gen.Select(Gen.Int[0, fields.Count - 1], HostileText.Breaking).SampleAsync(async (f, text) =>
        {
            using var request = fields[f].Request(HostileText.JsonLiteral(text));
            using var response = await story.Http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.BadRequest || await Story.ErrorCodeAsync(response) != "invalid_text")
            {
                wrong.Add($"{fields[f].Name}: {(int)response.StatusCode}");
            }
        }, iter: 400, threads: 1);

        Assert.Empty(wrong);
        Assert.Equal(before, await gateway.Database.CountAsync(Writes));
        await Can_still_be_suspended_revoked_unlocked_and_read(world);
    }

    [Fact]
    public async Task Any_text_in_any_free_text_field_gets_a_2xx_or_a_4xx_with_a_code_and_never_sticks_the_citizen()
    {
        using var story = new Story(gateway);
        using var world = await WorldAsync(story);
        var fields = Fields(world);
        var wrong = new List<string>();
        await Gen.Select(Gen.Int[0, fields.Count - 1], HostileText.Any).SampleAsync(async (f, text) =>
        {
            using var request = fields[f].Request(HostileText.JsonLiteral(text));
            using var response = await story.Http.SendAsync(request);
            var status = (int)response.StatusCode;
            if (status >= 500 || (status >= 400 && await Story.ErrorCodeAsync(response) is null))
            {
                wrong.Add($"{fields[f].Name}: {status}");
            }
        }, iter: 400, threads: 1);

        Assert.Empty(wrong);
        await Can_still_be_suspended_revoked_unlocked_and_read(world);
    }

    [Fact]
    public async Task A_nul_in_a_lock_reason_is_refused_and_the_citizen_stays_as_it_was()
    {
        using var story = new Story(gateway);
        using var world = await WorldAsync(story);
        using var response = await story.Http.SendAsync(world.Operator("/v1/operator/citizens/lock",
            $$"""{"idNumber":"{{world.IdNumber}}","reason":"lost\u0000phone","channel":"hotline"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("invalid_text", (string?)problem!["code"]);
        Assert.Contains("'reason'", (string?)problem["detail"], StringComparison.Ordinal);
        var lookup = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/lookup", new CitizenRequest(world.IdNumber));
        Assert.False((await lookup.Content.ReadFromJsonAsync<CitizenView>(ApiClientJson.Options))!.Locked);
        await Can_still_be_suspended_revoked_unlocked_and_read(world);
    }

    private async Task Can_still_be_suspended_revoked_unlocked_and_read(World w)
    {
        var http = w.Story.Http;
        FaceInput Live() => FaceVectors.Live(FaceVectors.Capture(w.Face, Random.Shared.Next()));
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/unlock",
            new CounterLockRequest(w.IdNumber, "unlocked at the counter", Live(), "counter"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/credentials/suspend",
            new CounterCredentialRequest(w.IdNumber, w.Phone.File.CredentialId, "lost", null, "hotline"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/credentials/revoke",
            new CounterCredentialRequest(w.IdNumber, w.Phone.File.CredentialId, "stolen", Live(), "counter"))).StatusCode);
        var read = await http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/history", new OperatorHistoryRequest(w.IdNumber, "the citizen asked", null, 100));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var kinds = (await read.Content.ReadFromJsonAsync<HistoryPageView>(ApiClientJson.Options))!.Entries.Select(e => e.Kind).ToList();
        Assert.Contains("revoked", kinds);
        Assert.Contains("operator_read", kinds);
    }

    [Theory]
    [InlineData("GET", "/v1/relying-parties/me/verifications?limit=abc", "invalid_parameter", 400)]
    [InlineData("GET", "/v1/relying-parties/me/verifications?limit=99999999999999999999", "invalid_parameter", 400)]
    [InlineData("GET", "/v1/relying-parties/me/verifications?before=ffffffff-ffff-7fff-bfff-ffffffffffff", "invalid_cursor", 400)]
    [InlineData("GET", "/v1/no/such/route", "not_found", 404)]
    [InlineData("DELETE", "/v1/verifications", "method_not_allowed", 405)]
    public async Task Answers_the_framework_decides_are_problem_details_with_a_code(string method, string path, string code, int status)
    {
        using var story = new Story(gateway);
        var rp = await story.RegisterAsync("bank", "44", "bank.account");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rp.ApiKey);
        using var response = await story.Http.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, await Story.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task A_body_of_another_media_type_is_415_with_a_code()
    {
        using var story = new Story(gateway);
        var rp = await story.RegisterAsync("bank", "44", "bank.account");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications") { Content = new StringContent("{}", Encoding.UTF8, "text/plain") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rp.ApiKey);
        using var response = await story.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_media_type", await Story.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Every_history_cursor_beyond_representable_time_is_invalid_cursor_and_an_operator_read_is_not_recorded()
    {
        using var story = new Story(gateway);
        using var world = await WorldAsync(story);
        const string cursor = "ffffffff-ffff-7fff-bfff-ffffffffffff";
        var rpLog = new HttpRequestMessage(HttpMethod.Get, $"/v1/relying-parties/me/verifications?before={cursor}");
        rpLog.Headers.Authorization = new AuthenticationHeaderValue("Bearer", world.Bank.ApiKey);
        var events = world.Phone.SignedRequest(HttpMethod.Get, $"/v1/wallet/events?after={cursor}", [], withCredential: true);
        var before = await gateway.Database.CountAsync(Writes);
        foreach (var request in new[]
                 {
                     rpLog,
                     world.Phone.SignedRequest(HttpMethod.Get, $"/v1/wallet/history?before={cursor}", [], withCredential: true),
                     events,
                     world.Operator("/v1/operator/citizens/history", $$"""{"idNumber":"{{world.IdNumber}}","reason":"checking","before":"{{cursor}}"}"""),
                 })
        {
            using var response = await story.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_cursor", await Story.ErrorCodeAsync(response));
        }

        Assert.Equal(before, await gateway.Database.CountAsync(Writes));
    }

    [Theory]
    [InlineData("/v1/relying-parties/me/verifications", "Bearer")]
    [InlineData("/v1/wallet/history", "NidDevice")]
    [InlineData("/v1/operator/diagnostics/placement", "OperatorKey")]
    public async Task Every_401_names_how_to_authenticate(string path, string scheme)
    {
        using var http = gateway.CreateClient();
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith(scheme + " ", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.NotNull(await Story.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task A_qr_text_with_padding_or_a_second_spelling_is_malformed_not_verified()
    {
        using var story = new Story(gateway);
        using var world = await WorldAsync(story);
        var rail = await story.RegisterAsync("rail", "44", "rail.gate");
        var qr = world.Phone.Present();
        var padded = qr + new string('=', (4 - ((qr.Length - "NID1.".Length) % 4)) % 4);
        foreach (var variant in new[] { padded == qr ? qr + "==" : padded, qr + " ", qr.Replace('-', '+').Replace('_', '/') + "+" })
        {
            var answer = await story.VerifyAsync(rail.ApiKey, "rail.gate", variant);
            Assert.False(answer.Verified);
            Assert.Equal(NationalId.Errors.RejectionReason.Malformed, answer.Reason);
        }

        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", qr)).Verified); // the exact text, once
    }
}
