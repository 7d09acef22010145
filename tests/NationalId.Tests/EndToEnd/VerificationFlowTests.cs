using System.Net;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Client.Qr;

namespace NationalId.Tests.EndToEnd;

[Collection(GatewayCollection.Name)]
public class VerificationFlowTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Enroll_activate_show_qr_png_scan_verify_then_revoke_is_rejected()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync(region: "510104", name: "Liu Yang");
        var hotel = await story.RegisterAsync("hotel", "44", "hotel.checkin");
        using var wallet = await story.ActivateAsync(id, face);

        // The phone shows a QR; the terminal photographs it and decodes the PNG.
        var png = QrImages.ToPng(wallet.Present());
        var scanned = QrImages.ReadPng(png);
        Assert.NotNull(scanned);

        var result = await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", scanned!, FaceVectors.Live(FaceVectors.Capture(face, 42)));
        Assert.True(result.Verified);
        Assert.Equal("high", result.Assurance);
        Assert.Equal(new Dictionary<string, string> { ["name"] = "Liu Yang", ["age_over_18"] = "true" }, result.Attributes);
        Assert.DoesNotContain("id_number", result.Attributes.Keys);

        // Revoked at a counter: the very next verification is rejected.
        var revoke = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/credentials/revoke",
            new CounterCredentialRequest(id.Value, wallet.File.CredentialId, "phone stolen", FaceVectors.Live(FaceVectors.Capture(face, 41)), "counter"));
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var after = await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", wallet.Present(), FaceVectors.Live(FaceVectors.Capture(face, 43)));
        Assert.False(after.Verified);
        Assert.Equal("revoked", after.Reason);
    }

    [Fact]
    public async Task Pseudonyms_repeat_for_one_rp_and_differ_between_two()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        var bar = await story.RegisterAsync("other", "31", "age.over18");
        using var wallet = await story.ActivateAsync(id, face);

        var r1 = await story.VerifyAsync(rail.ApiKey, "rail.gate", wallet.Present());
        var r2 = await story.VerifyAsync(rail.ApiKey, "rail.gate", wallet.Present());
        var b1 = await story.VerifyAsync(bar.ApiKey, "age.over18", wallet.Present());

        Assert.True(r1.Verified && r2.Verified && b1.Verified);
        Assert.Equal(r1.Pseudonym, r2.Pseudonym);
        Assert.NotEqual(r1.Pseudonym, b1.Pseudonym);
        Assert.Empty(r1.Attributes);
        Assert.Equal(["age_over_18"], b1.Attributes.Keys);
    }

    [Fact]
    public async Task A_replayed_qr_is_rejected()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var wallet = await story.ActivateAsync(id, face);
        var qr = wallet.Present();

        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", qr)).Verified);
        var replay = await story.VerifyAsync(rail.ApiKey, "rail.gate", qr);
        Assert.False(replay.Verified);
        Assert.Equal("replayed", replay.Reason);
    }

    [Fact]
    public async Task A_face_required_scope_rejects_no_face_and_a_wrong_face_and_accepts_the_right_one()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var bank = await story.RegisterAsync("bank", "31", "bank.account");
        using var wallet = await story.ActivateAsync(id, face);

        Assert.Equal("face_required", (await story.VerifyAsync(bank.ApiKey, "bank.account", wallet.Present())).Reason);
        var stranger = FaceVectors.Live(FaceVectors.Person(Random.Shared.Next()));
        Assert.Equal("face_mismatch", (await story.VerifyAsync(bank.ApiKey, "bank.account", wallet.Present(), stranger)).Reason);

        var right = await story.VerifyAsync(bank.ApiKey, "bank.account", wallet.Present(), FaceVectors.Live(FaceVectors.Capture(face, 9)));
        Assert.True(right.Verified);
        Assert.Equal(id.Value, right.Attributes["id_number"]);
    }

    [Fact]
    public async Task A_match_request_answers_yes_or_no_without_disclosing()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var wallet = await story.ActivateAsync(id, face);

        var yes = await story.VerifyAsync(rail.ApiKey, "rail.gate", wallet.Present(), match: new MatchInput("id_number", id.Value));
        var no = await story.VerifyAsync(rail.ApiKey, "rail.gate", wallet.Present(), match: new MatchInput("id_number", "11010519491231002X"));
        Assert.True(yes.Match);
        Assert.False(no.Match);
        Assert.Empty(yes.Attributes);
    }

    [Fact]
    public async Task A_counter_activation_code_binds_a_phone_with_high_assurance()
    {
        using var story = new Story(gateway);
        var (id, _) = await story.EnrollAsync();
        var issued = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/activation-codes", new CitizenRequest(id.Value));
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var code = (await issued.Content.ReadFromJsonAsync<ActivationCodeResponse>(ApiClientJson.Options))!;

        using var wallet = NationalId.Client.Wallet.Wallet.Create();
        var response = await wallet.ActivateAsync(story.Http, id.Value, null, code.Code);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("high", wallet.File.Assurance);
    }

    [Fact]
    public async Task A_phone_revokes_its_own_credential_with_a_signed_request_and_a_replay_of_it_is_refused()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var wallet = await story.ActivateAsync(id, face);

        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var first = await wallet.RevokeAsync(story.Http, wallet.File.CredentialId!, "lost", timestamp);
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal("revoked", (await story.VerifyAsync(rail.ApiKey, "rail.gate", wallet.Present())).Reason);

        var replay = await wallet.RevokeAsync(story.Http, wallet.File.CredentialId!, "lost", timestamp);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
    }

    [Fact]
    public async Task A_suspended_rp_is_refused_and_resumed_rp_is_served()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var wallet = await story.ActivateAsync(id, face);

        var suspend = await story.Http.PostAsOperator(gateway.OperatorKey, $"/v1/operator/relying-parties/{rail.RelyingPartyId}/suspend", new RelyingPartyStatusRequest("audit"));
        Assert.Equal(HttpStatusCode.NoContent, suspend.StatusCode);
        var refused = await story.Http.VerifyAsync(rail.ApiKey, new VerificationRequest("rail.gate", wallet.Present(), null, null));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("relying_party_suspended", await Story.ErrorCodeAsync(refused));

        await story.Http.PostAsOperator(gateway.OperatorKey, $"/v1/operator/relying-parties/{rail.RelyingPartyId}/resume", new RelyingPartyStatusRequest("audit done"));
        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", wallet.Present())).Verified);
    }

    [Fact]
    public async Task Every_verified_answer_has_a_durable_history_record_without_attribute_values()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var hotel = await story.RegisterAsync("hotel", "44", "hotel.checkin");
        using var wallet = await story.ActivateAsync(id, face);
        var result = await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", wallet.Present(), FaceVectors.Live(FaceVectors.Capture(face, 3)));
        Assert.True(result.Verified);

        Assert.Equal(1, await gateway.Database.CountAsync(
            $"SELECT count(*) FROM access_history WHERE event_id = '{result.VerificationId}' AND kind = 'verification' AND verified " +
            "AND disclosed_attributes = ARRAY['name','age_over_18'] AND cross_province"));
        Assert.Equal(0, await gateway.Database.CountAsync(
            $"SELECT count(*) FROM access_history WHERE array_to_string(disclosed_attributes, ',') LIKE '%{id.Value}%' OR citizen_handle LIKE '%{id.Value}%'"));
    }

    [Fact]
    public async Task Health_metrics_and_openapi_are_served()
    {
        using var story = new Story(gateway);
        Assert.Equal(HttpStatusCode.OK, (await story.Http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await story.Http.GetAsync("/health/ready")).StatusCode);

        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var wallet = await story.ActivateAsync(id, face);
        await story.VerifyAsync(rail.ApiKey, "rail.gate", wallet.Present());

        var metrics = await story.Http.GetStringAsync("/metrics");
        Assert.Contains("nid_verifications_total", metrics, StringComparison.Ordinal);
        Assert.Contains("sector=\"rail\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(id.Value, metrics, StringComparison.Ordinal);
        Assert.DoesNotContain(wallet.File.CitizenHandle!, metrics, StringComparison.Ordinal);

        var openApi = await story.Http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/v1/verifications", openApi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wallets_get_the_x25519_key_and_p256_presentations_of_the_older_key_still_verify()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var wallet = await story.ActivateAsync(id, face);
        Assert.Equal(2, wallet.File.PresentationSuite);
        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", wallet.Present())).Verified);

        wallet.File.PresentationKeyId = 1;
        wallet.File.PresentationSuite = 1;
        wallet.File.PresentationPublicKey = NationalId.Protocol.Base64Url.Encode(NationalId.Protocol.PresentationCodec.EncodePoint(gateway.P256PresentationPublicKey.Q));
        var p256 = wallet.Present();
        Assert.Equal(NationalId.Protocol.ProtocolConstants.SuiteP256, Convert.FromBase64String(Base64(p256[5..]))[1]);
        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", p256)).Verified);
    }

    private static string Base64(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}
