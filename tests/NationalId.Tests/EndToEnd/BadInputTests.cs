using System.Net;
using System.Text;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;

namespace NationalId.Tests.EndToEnd;

/// <summary>Bad input gets a clear 4xx with a stable code and changes nothing.</summary>
[Collection(GatewayCollection.Name)]
public class BadInputTests(GatewayFixture gateway)
{
    private async Task<HttpResponseMessage> RawOperatorPost(HttpClient http, string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Operator-Key", gateway.OperatorKey);
        return await http.SendAsync(request);
    }

    private async Task AssertNotEnrolled(HttpClient http, string idNumber)
    {
        var lookup = await http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/lookup", new CitizenRequest(idNumber));
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
        Assert.Equal("citizen_not_found", await Story.ErrorCodeAsync(lookup));
    }

    [Fact]
    public async Task A_wrong_rp_key_is_401()
    {
        using var story = new Story(gateway);
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        var wrong = rail.RelyingPartyId + ".not-the-secret";
        var response = await story.Http.VerifyAsync(wrong, new VerificationRequest("rail.gate", "NID1.x", null, null));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", await Story.ErrorCodeAsync(response));

        var none = await story.Http.PostAsync("/v1/verifications", GatewayHttp.Json(new VerificationRequest("rail.gate", "NID1.x", null, null)));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
    }

    [Fact]
    public async Task An_unregistered_scope_is_403()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var wallet = await story.ActivateAsync(id, face);
        var response = await story.Http.VerifyAsync(rail.ApiKey, new VerificationRequest("bank.account", wallet.Present(), null, null));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("scope_not_allowed", await Story.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Malformed_json_is_400_and_enrolls_nobody()
    {
        using var story = new Story(gateway);
        var id = Support.TestIdentities.Next();
        var response = await RawOperatorPost(story.Http, "/v1/operator/citizens", $"{{\"idNumber\":\"{id.Value}\",\"name\":");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("malformed_json", await Story.ErrorCodeAsync(response));
        await AssertNotEnrolled(story.Http, id.Value);
    }

    [Fact]
    public async Task An_invalid_id_number_is_400_with_a_precise_message()
    {
        using var story = new Story(gateway);
        var response = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens",
            new EnrollCitizenRequest("110105194912310021", "X", FaceVectors.Live(FaceVectors.Person(1)), null));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_id_number", await Story.ErrorCodeAsync(response));
        Assert.Contains("check character", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversize_body_is_413_and_enrolls_nobody()
    {
        using var story = new Story(gateway);
        var id = Support.TestIdentities.Next();
        var body = $"{{\"idNumber\":\"{id.Value}\",\"name\":\"{new string('a', 100_000)}\"}}";
        var response = await RawOperatorPost(story.Http, "/v1/operator/citizens", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("body_too_large", await Story.ErrorCodeAsync(response));
        await AssertNotEnrolled(story.Http, id.Value);
    }

    [Theory]
    [InlineData(127, 0.99, "face_template_invalid")]
    [InlineData(128, 1.5, "face_liveness_invalid")]
    public async Task A_malformed_face_is_400_and_enrolls_nobody(int length, double liveness, string code)
    {
        using var story = new Story(gateway);
        var id = Support.TestIdentities.Next();
        var response = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens",
            new EnrollCitizenRequest(id.Value, "Name", new FaceInput(new float[length].Select((_, i) => (float)i).ToArray(), liveness), null));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await Story.ErrorCodeAsync(response));
        await AssertNotEnrolled(story.Http, id.Value);
    }

    [Fact]
    public async Task A_nan_in_a_face_template_is_400()
    {
        using var story = new Story(gateway);
        var id = Support.TestIdentities.Next();
        var template = string.Join(',', Enumerable.Range(0, 128).Select(i => i == 5 ? "\"NaN\"" : "0.1"));
        var response = await RawOperatorPost(story.Http, "/v1/operator/citizens",
            $"{{\"idNumber\":\"{id.Value}\",\"name\":\"N\",\"face\":{{\"template\":[{template}],\"liveness\":0.99}}}}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(await Story.ErrorCodeAsync(response), new[] { "malformed_json", "face_template_invalid" });
        await AssertNotEnrolled(story.Http, id.Value);
    }

    [Fact]
    public async Task A_missing_operator_key_is_401()
    {
        using var story = new Story(gateway);
        var response = await story.Http.PostAsync("/v1/operator/citizens", GatewayHttp.Json(new CitizenRequest("11010519491231002X")));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_operator_key", await Story.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task A_counter_revocation_without_a_reason_is_400_and_the_phone_still_works()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var wallet = await story.ActivateAsync(id, face);
        var response = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/credentials/revoke",
            new CounterCredentialRequest(id.Value, wallet.File.CredentialId, " ", FaceVectors.Live(FaceVectors.Capture(face, 2)), "counter"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("reason_required", await Story.ErrorCodeAsync(response));
        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", wallet.Present())).Verified);
    }

    [Fact]
    public async Task A_wrongly_signed_wallet_request_is_401_and_revokes_nothing()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var wallet = await story.ActivateAsync(id, face);
        using var thief = NationalId.Client.Wallet.Wallet.Create();
        thief.File.CredentialReference = wallet.File.CredentialReference;

        var response = await thief.RevokeAsync(story.Http, wallet.File.CredentialId!, "malice");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("device_signature_invalid", await Story.ErrorCodeAsync(response));
        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", wallet.Present())).Verified);
    }

    [Fact]
    public async Task A_garbage_qr_is_a_normal_rejection_not_an_error()
    {
        using var story = new Story(gateway);
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        var result = await story.VerifyAsync(rail.ApiKey, "rail.gate", "https://example.com/some-other-qr");
        Assert.False(result.Verified);
        Assert.Equal("token_malformed", result.Reason);
    }

    [Theory]
    [InlineData("hotel,rail")]
    [InlineData("3")]
    [InlineData("Hotel ")]
    [InlineData("airline")]
    public async Task An_unknown_sector_is_400(string sector)
    {
        using var story = new Story(gateway);
        var response = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/relying-parties",
            new RegisterRelyingPartyRequest("Some RP", sector, "44", ["rail.gate"]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_sector", await Story.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task A_scope_outside_the_catalogue_is_400()
    {
        using var story = new Story(gateway);
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        var response = await story.Http.VerifyAsync(rail.ApiKey, new VerificationRequest("rail.everything", "NID1.x", null, null));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_scope", await Story.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task An_empty_activation_code_next_to_a_face_is_ignored()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var wallet = NationalId.Client.Wallet.Wallet.Create();
        var response = await wallet.ActivateAsync(story.Http, id.Value, FaceVectors.Live(FaceVectors.Capture(face, 4)), "  ");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("substantial", wallet.File.Assurance);
    }

    [Fact]
    public async Task Made_up_rp_ids_are_401()
    {
        using var story = new Story(gateway);
        foreach (var key in new[] { "rp-aaaaaaaaaaaaaaaa.secret", "rp-../../etc.secret", "rp-x.y", "nonsense" })
        {
            var response = await story.Http.VerifyAsync(key, new VerificationRequest("rail.gate", "NID1.x", null, null));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_phone_cannot_learn_whether_an_id_number_is_enrolled()
    {
        using var story = new Story(gateway);
        using var wallet = NationalId.Client.Wallet.Wallet.Create();
        var unknown = await wallet.ActivateAsync(story.Http, Support.TestIdentities.Next().Value, FaceVectors.Live(FaceVectors.Person(5)), null);
        var (id, _) = await story.EnrollAsync();
        var known = await wallet.ActivateAsync(story.Http, id.Value, FaceVectors.Live(FaceVectors.Person(5)), null);

        Assert.Equal(HttpStatusCode.Forbidden, unknown.StatusCode);
        Assert.Equal((await Story.ErrorCodeAsync(known), known.StatusCode), (await Story.ErrorCodeAsync(unknown), unknown.StatusCode));

        // Five guesses end in the same lockout whether or not the number is enrolled.
        var stranger = Support.TestIdentities.Next().Value;
        var (enrolled, _) = await story.EnrollAsync();
        var answers = new List<string?>();
        foreach (var number in new[] { stranger, enrolled.Value })
        {
            for (var attempt = 0; attempt < 6; attempt++)
            {
                answers.Add(await Story.ErrorCodeAsync(await wallet.ActivateAsync(story.Http, number, FaceVectors.Live(FaceVectors.Person(70 + attempt)), null)));
            }
        }

        Assert.Equal(answers[..6], answers[6..]);
        Assert.Equal("face_attempts_exceeded", answers[5]);
    }
}
