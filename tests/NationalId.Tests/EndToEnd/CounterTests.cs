using System.Net;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;
using NationalId.IdNumbers;
using NationalId.Tests.Support;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// People without a smartphone: verification at a counter with the physical card's ID number and a live face, the
/// limit on failed face matches, and printed cards with a static QR (docs/guides/counter.md).
/// </summary>
[Collection(GatewayCollection.Name)]
public class CounterTests(GatewayFixture gateway)
{
    [Fact]
    public async Task At_a_counter_the_right_face_is_verified_high_and_recorded_in_the_citizens_history()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync(region: "420102", name: "Chen Jie"); // no phone
        var bank = await story.RegisterAsync("bank", "44", "bank.account");

        var result = await InPerson(story, bank.ApiKey, "bank.account", id.Value, FaceVectors.Live(FaceVectors.Capture(face, 2)));
        Assert.True(result.Verified);
        Assert.Equal("high", result.Assurance);
        Assert.Equal("Chen Jie", result.Attributes["name"]);
        Assert.Equal(id.Value, result.Attributes["id_number"]);
        Assert.StartsWith("p-", result.Pseudonym, StringComparison.Ordinal);

        var line = Assert.Single(await OperatorHistory(story, id), e => e.Kind == "verification");
        Assert.Equal("in_person", line.Channel);
        Assert.True(line.Verified);
        Assert.True(line.CrossProvince); // a Hubei card at a Guangdong bank
    }

    [Fact]
    public async Task At_a_counter_a_wrong_face_is_face_mismatch_and_too_many_lock_in_person_use_and_tell_the_phones()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync(region: "110105");
        using var phone = await story.ActivateAsync(id, face);
        var hall = await story.RegisterAsync("government", "11", "gov.service");
        var impostor = FaceVectors.Live(FaceVectors.Person(777_001));

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var wrong = await InPerson(story, hall.ApiKey, "gov.service", id.Value, impostor);
            Assert.False(wrong.Verified);
            Assert.Equal("face_mismatch", wrong.Reason);
        }

        // Past the limit even the right face is refused for a while, and the citizen's phone hears of it.
        var refused = await InPerson(story, hall.ApiKey, "gov.service", id.Value, FaceVectors.Live(FaceVectors.Capture(face, 3)));
        Assert.Equal("face_attempts_exceeded", refused.Reason);
        var events = await WalletEvents(story, phone);
        var warned = Assert.Single(events.Events, e => e.Kind == "face_attempts_exceeded");
        Assert.Equal("in_person", warned.Channel);

        // The phone itself still works: the limit guards the in-person paths, where the card may be someone else's.
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", phone.Present())).Verified);
    }

    [Fact]
    public async Task Failed_remote_face_guesses_lock_remote_binding_but_not_the_counter()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync(region: "210102");
        var bank = await story.RegisterAsync("bank", "21", "bank.account");
        using var guesser = NationalId.Client.Wallet.Wallet.Create();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var wrong = await guesser.ActivateAsync(story.Http, id.Value, FaceVectors.Live(FaceVectors.Person(600_000 + attempt)), null);
            Assert.Equal("face_mismatch", await Story.ErrorCodeAsync(wrong));
        }

        using var owner = NationalId.Client.Wallet.Wallet.Create();
        var locked = await owner.ActivateAsync(story.Http, id.Value, FaceVectors.Live(FaceVectors.Capture(face, 2)), null);
        Assert.Equal("face_attempts_exceeded", await Story.ErrorCodeAsync(locked));

        // Whoever guessed from a phone cannot shut the citizen out of the bank counter.
        Assert.True((await InPerson(story, bank.ApiKey, "bank.account", id.Value, FaceVectors.Live(FaceVectors.Capture(face, 3)))).Verified);
    }

    [Fact]
    public async Task A_scope_without_in_person_mode_is_403_and_records_nothing()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var portal = await story.RegisterAsync("government", "51", "online.login");

        var response = await story.Http.SendAsync(InPersonRequest(portal.ApiKey, new InPersonVerificationRequest("online.login", id.Value, FaceVectors.Live(FaceVectors.Capture(face, 2)), null)));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("in_person_not_allowed", await Story.ErrorCodeAsync(response));
        Assert.DoesNotContain(await OperatorHistory(story, id), e => e.Kind == "verification");
    }

    [Theory]
    [InlineData("1101051949", null, 0.97, 400, "invalid_id_number")]
    [InlineData(null, 127, 0.97, 400, "face_template_invalid")]
    [InlineData(null, 128, 1.5, 400, "face_liveness_invalid")]
    [InlineData(null, 0, 0.97, 400, "face_required")] // 0: no face at all
    public async Task Bad_counter_input_is_a_clear_4xx_and_counts_nothing(string? idNumber, int? length, double liveness, int status, string code)
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var bank = await story.RegisterAsync("bank", "51", "bank.account");
        FaceInput? input = length switch
        {
            0 => null,
            { } n => new FaceInput([.. Enumerable.Repeat(0.1f, n)], liveness),
            null => FaceVectors.Live(FaceVectors.Capture(face, 2)),
        };
        if (length == 128)
        {
            input = input! with { Liveness = liveness };
        }

        var response = await story.Http.SendAsync(InPersonRequest(bank.ApiKey, new InPersonVerificationRequest("bank.account", idNumber ?? id.Value, input, null)));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, await Story.ErrorCodeAsync(response));
        Assert.DoesNotContain(await OperatorHistory(story, id), e => e.Kind == "verification");
    }

    [Fact]
    public async Task A_nan_in_the_counter_face_is_400_and_counts_nothing()
    {
        using var story = new Story(gateway);
        var (id, _) = await story.EnrollAsync();
        var bank = await story.RegisterAsync("bank", "51", "bank.account");
        var template = string.Join(',', Enumerable.Range(0, 128).Select(i => i == 5 ? "\"NaN\"" : "0.1"));
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications/in-person")
        {
            Content = new StringContent($"{{\"scope\":\"bank.account\",\"idNumber\":\"{id.Value}\",\"face\":{{\"template\":[{template}],\"liveness\":0.99}}}}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bank.ApiKey);
        var response = await story.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(await Story.ErrorCodeAsync(response), new[] { "malformed_json", "face_template_invalid" });
        Assert.DoesNotContain(await OperatorHistory(story, id), e => e.Kind == "verification");
    }

    [Fact]
    public async Task An_unknown_id_number_and_a_face_below_the_liveness_threshold_are_rejections_with_reasons()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var bank = await story.RegisterAsync("bank", "51", "bank.account");

        var unknown = await InPerson(story, bank.ApiKey, "bank.account", TestIdentities.Next().Value, FaceVectors.Live(FaceVectors.Capture(face, 2)));
        Assert.Equal("unknown_citizen", unknown.Reason);
        var notLive = await InPerson(story, bank.ApiKey, "bank.account", id.Value, new FaceInput(FaceVectors.Capture(face, 2), 0.5));
        Assert.Equal("liveness_insufficient", notLive.Reason);
    }

    [Fact]
    public async Task A_printed_card_works_only_with_the_holders_live_face_and_a_reprint_retires_the_old_card()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync(region: "230102", name: "Zhao Min");
        var hotel = await story.RegisterAsync("hotel", "46", "hotel.checkin");
        var card = await IssueCard(story, id, face);

        // The QR is opaque: neither the ID number nor the handle's province can be read from it.
        Assert.StartsWith("NIDC1.", card.CardQr, StringComparison.Ordinal);
        Assert.DoesNotContain(id.Value, card.CardQr, StringComparison.Ordinal);
        Assert.True(card.ExpiresAt > DateTimeOffset.UtcNow.AddYears(4));

        var ok = await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", card.CardQr, FaceVectors.Live(FaceVectors.Capture(face, 9)));
        Assert.True(ok.Verified);
        Assert.Equal("high", ok.Assurance);
        Assert.Equal("Zhao Min", ok.Attributes["name"]);

        // A copied card without its holder: no face, or someone else's face, fails.
        Assert.Equal("face_required", (await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", card.CardQr)).Reason);
        var copied = await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", card.CardQr, FaceVectors.Live(FaceVectors.Person(888_002)));
        Assert.Equal("face_mismatch", copied.Reason);

        // The same card again is fine (it is printed: there is no single use, the face is the second factor).
        Assert.True((await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", card.CardQr, FaceVectors.Live(FaceVectors.Capture(face, 10)))).Verified);

        var reprint = await IssueCard(story, id, face);
        Assert.Equal("revoked", (await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", card.CardQr, FaceVectors.Live(FaceVectors.Capture(face, 11)))).Reason);
        Assert.True((await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", reprint.CardQr, FaceVectors.Live(FaceVectors.Capture(face, 12)))).Verified);

        var history = await OperatorHistory(story, id);
        Assert.Equal(2, history.Count(e => e.Kind == "card_issued"));
        Assert.Single(history, e => e.Kind == "card_revoked");
        Assert.Contains(history, e => e.Kind == "verification" && e.Channel == "printed_card" && e.Verified == true);
    }

    [Fact]
    public async Task A_revoked_card_fails_and_a_forged_card_is_a_rejection()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var hotel = await story.RegisterAsync("hotel", "51", "hotel.checkin");
        var card = await IssueCard(story, id, face);

        var revoke = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/cards/revoke", new RevokeCardRequest(id.Value, "card lost", null, "hotline"));
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal("revoked", (await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", card.CardQr, FaceVectors.Live(FaceVectors.Capture(face, 4)))).Reason);

        var forged = "NIDC1." + new string('A', card.CardQr.Length - 6);
        Assert.Equal("decryption_failed", (await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", forged, FaceVectors.Live(FaceVectors.Capture(face, 5)))).Reason);
    }

    internal static async Task<IssueCardResponse> IssueCard(Story story, ResidentIdNumber id, float[] face)
    {
        var response = await story.Http.PostAsOperator(story.OperatorKey, "/v1/operator/cards", new IssueCardRequest(id.Value, FaceVectors.Live(FaceVectors.Capture(face, 8))));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<IssueCardResponse>(ApiClientJson.Options))!;
    }

    internal static async Task<VerificationResponse> InPerson(Story story, string apiKey, string scope, string idNumber, FaceInput? face)
    {
        var response = await story.Http.SendAsync(InPersonRequest(apiKey, new InPersonVerificationRequest(scope, idNumber, face, null)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options))!;
    }

    internal static HttpRequestMessage InPersonRequest(string apiKey, InPersonVerificationRequest body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications/in-person") { Content = GatewayHttp.Json(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return request;
    }

    internal static async Task<IReadOnlyList<HistoryEntryView>> OperatorHistory(Story story, ResidentIdNumber id)
    {
        var response = await story.Http.PostAsOperator(story.OperatorKey, "/v1/operator/citizens/history", new OperatorHistoryRequest(id.Value, "test check", null, 100));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<HistoryPageView>(ApiClientJson.Options))!.Entries;
    }

    internal static async Task<WalletEventsView> WalletEvents(Story story, Wallet phone)
    {
        var response = await story.Http.SendAsync(phone.SignedRequest(HttpMethod.Get, "/v1/wallet/events", [], withCredential: true));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WalletEventsView>(ApiClientJson.Options))!;
    }
}
