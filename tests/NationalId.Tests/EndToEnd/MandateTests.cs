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
/// Mandates: a delegate shows their own phone's QR "on behalf of" a principal; the RP gets the principal's attributes
/// that the mandate allows, the delegated flag, and its own pseudonym of the delegate; both histories show the use.
/// </summary>
[Collection(GatewayCollection.Name)]
public class MandateTests(GatewayFixture gateway)
{
    [Fact]
    public async Task A_delegate_is_verified_on_behalf_of_the_principal_and_both_histories_show_it()
    {
        using var story = new Story(gateway);
        var (principalId, principalFace) = await story.EnrollAsync(region: "510104", name: "Wang Lan");
        var (delegateId, delegateFace) = await story.EnrollAsync(region: "440106", name: "Wang Hao");
        using var principal = await story.ActivateAsync(principalId, principalFace);
        using var delegatePhone = await story.ActivateAsync(delegateId, delegateFace);
        var bank = await story.RegisterAsync("bank", "44", "bank.account");

        var mandate = await Grant(story, principal, principalFace, delegateId, ["bank.account"]);
        Assert.Equal("mandate", mandate.Kind);

        var asDelegate = await OnBehalf(story, bank.ApiKey, "bank.account", delegatePhone, principalId, FaceVectors.Live(FaceVectors.Capture(delegateFace, 4)));
        Assert.True(asDelegate.Verified);
        Assert.True(asDelegate.Delegated);
        Assert.Equal("Wang Lan", asDelegate.Attributes["name"]); // the principal's attributes
        Assert.Equal(principalId.Value, asDelegate.Attributes["id_number"]);

        // The delegate is named by this RP's pseudonym of the delegate (the one a direct verification gives).
        var direct = await story.VerifyAsync(bank.ApiKey, "bank.account", delegatePhone.Present(), FaceVectors.Live(FaceVectors.Capture(delegateFace, 5)));
        Assert.Equal(direct.Pseudonym, asDelegate.DelegatePseudonym);
        Assert.NotEqual(direct.Pseudonym, asDelegate.Pseudonym);
        Assert.False(direct.Delegated);

        var principalLine = Assert.Single(await History(story, principal), e => e.Kind == "verification");
        Assert.Equal("mandate", principalLine.Channel);
        Assert.True(principalLine.Verified);
        Assert.Contains(await History(story, delegatePhone), e => e.Kind == "verification" && e.Channel == "delegate");
    }

    [Fact]
    public async Task Outside_the_mandates_scopes_or_time_or_after_its_revocation_the_use_is_rejected()
    {
        using var story = new Story(gateway);
        var (principalId, principalFace) = await story.EnrollAsync(region: "510104");
        var (delegateId, delegateFace) = await story.EnrollAsync(region: "510104");
        using var principal = await story.ActivateAsync(principalId, principalFace);
        using var delegatePhone = await story.ActivateAsync(delegateId, delegateFace);
        var bank = await story.RegisterAsync("bank", "51", "bank.account");
        var hotel = await story.RegisterAsync("hotel", "51", "hotel.checkin");
        var face = FaceVectors.Live(FaceVectors.Capture(delegateFace, 6));

        // Not yet in force.
        var later = await Grant(story, principal, principalFace, delegateId, ["bank.account"], DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(30));
        Assert.Equal("mandate_not_in_force", (await OnBehalf(story, bank.ApiKey, "bank.account", delegatePhone, principalId, face)).Reason);

        // In force for the bank, not for the hotel.
        var now = await Grant(story, principal, principalFace, delegateId, ["bank.account"]);
        Assert.True((await OnBehalf(story, bank.ApiKey, "bank.account", delegatePhone, principalId, face)).Verified);
        var hotelUse = await OnBehalf(story, hotel.ApiKey, "hotel.checkin", delegatePhone, principalId, face);
        Assert.False(hotelUse.Verified);
        Assert.Equal("mandate_scope_not_covered", hotelUse.Reason);
        Assert.Empty(hotelUse.Attributes);

        // Revoked by the principal's phone: both mandates to this delegate ended, the next use is refused.
        foreach (var id in new[] { later.MandateId, now.MandateId })
        {
            Assert.Equal(HttpStatusCode.NoContent, (await principal.RevokeMandateAsync(story.Http, id, "no longer needed")).StatusCode);
        }

        Assert.Equal("mandate_revoked", (await OnBehalf(story, bank.ApiKey, "bank.account", delegatePhone, principalId, face)).Reason);

        using var list = await principal.ListMandatesAsync(story.Http);
        var mandates = (await list.Content.ReadFromJsonAsync<MandateListResponse>(ApiClientJson.Options))!.Mandates;
        Assert.All(mandates, m => Assert.Equal("revoked", m.Status));
    }

    [Fact]
    public async Task A_phone_grants_a_mandate_only_with_its_owners_live_face()
    {
        using var story = new Story(gateway);
        var (principalId, principalFace) = await story.EnrollAsync();
        var (delegateId, _) = await story.EnrollAsync();
        using var stolen = await story.ActivateAsync(principalId, principalFace);

        var noFace = await stolen.GrantMandateAsync(story.Http, delegateId.Value, ["bank.account"], null);
        Assert.Equal("face_required", await Story.ErrorCodeAsync(noFace));
        var thiefFace = await stolen.GrantMandateAsync(story.Http, delegateId.Value, ["bank.account"], FaceVectors.Live(FaceVectors.Person(424_242)));
        Assert.Equal("face_mismatch", await Story.ErrorCodeAsync(thiefFace));
        using var list = await stolen.ListMandatesAsync(story.Http);
        Assert.Empty((await list.Content.ReadFromJsonAsync<MandateListResponse>(ApiClientJson.Options))!.Mandates);
    }

    [Fact]
    public async Task A_delegate_cannot_pass_a_mandate_on()
    {
        using var story = new Story(gateway);
        var (principalId, principalFace) = await story.EnrollAsync();
        var (delegateId, delegateFace) = await story.EnrollAsync();
        var (thirdId, thirdFace) = await story.EnrollAsync();
        using var principal = await story.ActivateAsync(principalId, principalFace);
        using var delegatePhone = await story.ActivateAsync(delegateId, delegateFace);
        using var third = await story.ActivateAsync(thirdId, thirdFace);
        var rail = await story.RegisterAsync("rail", "51", "rail.gate");

        await Grant(story, principal, principalFace, delegateId, ["rail.gate"]);
        await Grant(story, delegatePhone, delegateFace, thirdId, ["rail.gate"]); // the delegate's own mandate, for the delegate

        Assert.True((await OnBehalf(story, rail.ApiKey, "rail.gate", third, delegateId, null)).Verified);
        var chained = await OnBehalf(story, rail.ApiKey, "rail.gate", third, principalId, null);
        Assert.False(chained.Verified);
        Assert.Equal("mandate_not_found", chained.Reason);
    }

    [Fact]
    public async Task A_guardianship_for_a_minor_is_made_at_a_counter_with_the_guardians_face_and_ends_at_16()
    {
        using var story = new Story(gateway);
        var child = TestIdentities.Next("320102", birthYear: 2016);
        var childFace = FaceVectors.Person(Random.Shared.Next());
        Assert.Equal(HttpStatusCode.Created, (await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens",
            new EnrollCitizenRequest(child.Value, "Li Xiaoming", FaceVectors.Live(childFace), null))).StatusCode);
        var (guardianId, guardianFace) = await story.EnrollAsync(region: "320102", name: "Li Qiang");
        using var guardian = await story.ActivateAsync(guardianId, guardianFace);
        var hospital = await story.RegisterAsync("government", "32", "gov.service");

        // The guardian's face, not someone else's.
        var wrongFace = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/mandates", new CounterMandateRequest(
            child.Value, guardianId.Value, ["gov.service"], null, null, "guardianship", FaceVectors.Live(FaceVectors.Person(999_003))));
        Assert.Equal(HttpStatusCode.Forbidden, wrongFace.StatusCode);
        Assert.Equal("face_mismatch", await Story.ErrorCodeAsync(wrongFace));

        var created = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/mandates", new CounterMandateRequest(
            child.Value, guardianId.Value, ["gov.service"], null, null, "guardianship", FaceVectors.Live(FaceVectors.Capture(guardianFace, 7))));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var guardianship = (await created.Content.ReadFromJsonAsync<MandateResponse>(ApiClientJson.Options))!;
        Assert.Equal("guardianship", guardianship.Kind);
        Assert.Equal(new DateTimeOffset(child.BirthDate.AddYears(16).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), guardianship.ValidUntil);

        var use = await OnBehalf(story, hospital.ApiKey, "gov.service", guardian, child, FaceVectors.Live(FaceVectors.Capture(guardianFace, 8)));
        Assert.True(use.Verified);
        Assert.Equal("Li Xiaoming", use.Attributes["name"]);

        // An adult is no one's ward, a child no one's guardian, and a ward cannot end the guardianship.
        var (otherAdult, otherFace) = await story.EnrollAsync(region: "320102");
        var adult = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/mandates", new CounterMandateRequest(
            guardianId.Value, otherAdult.Value, ["gov.service"], null, null, "guardianship", FaceVectors.Live(FaceVectors.Capture(otherFace, 2))));
        Assert.Equal(HttpStatusCode.Conflict, adult.StatusCode);
        Assert.Equal("principal_not_a_minor", await Story.ErrorCodeAsync(adult));
        var childGuardian = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/mandates", new CounterMandateRequest(
            otherAdult.Value, child.Value, ["gov.service"], null, null, null, FaceVectors.Live(FaceVectors.Capture(otherFace, 3))));
        Assert.Equal("delegate_is_a_minor", await Story.ErrorCodeAsync(childGuardian));
        var byWard = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/mandates/revoke", new CounterMandateRevokeRequest(
            child.Value, guardianship.MandateId, "I am grown up", FaceVectors.Live(FaceVectors.Capture(childFace, 3)), null));
        Assert.Equal("channel_not_allowed", await Story.ErrorCodeAsync(byWard));
        var byGuardian = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/mandates/revoke", new CounterMandateRevokeRequest(
            child.Value, guardianship.MandateId, "custody changed", FaceVectors.Live(FaceVectors.Capture(guardianFace, 9)), guardianId.Value));
        Assert.Equal(HttpStatusCode.NoContent, byGuardian.StatusCode);
    }

    [Fact]
    public async Task A_counter_grants_and_ends_a_mandate_with_the_principals_face()
    {
        using var story = new Story(gateway);
        var (principalId, principalFace) = await story.EnrollAsync(region: "510104", name: "Zhou Ping"); // no phone
        var (delegateId, delegateFace) = await story.EnrollAsync(region: "510104");
        using var delegatePhone = await story.ActivateAsync(delegateId, delegateFace);
        var rail = await story.RegisterAsync("rail", "51", "rail.gate");

        var noFace = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/mandates",
            new CounterMandateRequest(principalId.Value, delegateId.Value, ["rail.gate"], null, null, null, null));
        Assert.Equal("face_required", await Story.ErrorCodeAsync(noFace));
        var created = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/mandates",
            new CounterMandateRequest(principalId.Value, delegateId.Value, ["rail.gate"], null, null, null, FaceVectors.Live(FaceVectors.Capture(principalFace, 3))));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var mandate = (await created.Content.ReadFromJsonAsync<MandateResponse>(ApiClientJson.Options))!;
        Assert.True((await OnBehalf(story, rail.ApiKey, "rail.gate", delegatePhone, principalId, null)).Verified);

        var ended = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/mandates/revoke",
            new CounterMandateRevokeRequest(principalId.Value, mandate.MandateId, "principal asked", FaceVectors.Live(FaceVectors.Capture(principalFace, 4)), null));
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);
        Assert.Equal("mandate_revoked", (await OnBehalf(story, rail.ApiKey, "rail.gate", delegatePhone, principalId, null)).Reason);
    }

    [Theory]
    [InlineData("unenrolled", new[] { "bank.account" }, 404, "delegate_not_found")] // a valid number nobody enrolled
    [InlineData("1101051949", new[] { "bank.account" }, 400, "invalid_id_number")]
    [InlineData(null, new[] { "space.travel" }, 400, "invalid_scope")]
    [InlineData(null, new string[0], 400, "invalid_scope")]
    public async Task Bad_mandate_requests_are_4xx_and_grant_nothing(string? delegateIdNumber, string[] scopes, int status, string code)
    {
        using var story = new Story(gateway);
        var (principalId, principalFace) = await story.EnrollAsync();
        var (delegateId, _) = await story.EnrollAsync();
        using var principal = await story.ActivateAsync(principalId, principalFace);

        var delegateNumber = delegateIdNumber == "unenrolled" ? TestIdentities.Next().Value : delegateIdNumber ?? delegateId.Value;
        var response = await principal.GrantMandateAsync(story.Http, delegateNumber, scopes, FaceVectors.Live(FaceVectors.Capture(principalFace, 32)));
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, await Story.ErrorCodeAsync(response));
        using var list = await principal.ListMandatesAsync(story.Http);
        Assert.Empty((await list.Content.ReadFromJsonAsync<MandateListResponse>(ApiClientJson.Options))!.Mandates);
    }

    private static async Task<MandateResponse> Grant(
        Story story, Wallet principal, float[] principalFace, ResidentIdNumber delegateId, string[] scopes, DateTimeOffset? from = null, DateTimeOffset? until = null)
    {
        var response = await principal.GrantMandateAsync(story.Http, delegateId.Value, scopes, FaceVectors.Live(FaceVectors.Capture(principalFace, 31)), from, until);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<MandateResponse>(ApiClientJson.Options))!;
    }

    private static async Task<VerificationResponse> OnBehalf(Story story, string apiKey, string scope, Wallet delegatePhone, ResidentIdNumber principal, FaceInput? face)
    {
        var response = await story.Http.VerifyAsync(apiKey, new VerificationRequest(scope, delegatePhone.Present(), face, null, principal.Value));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options))!;
    }

    private static async Task<IReadOnlyList<HistoryEntryView>> History(Story story, Wallet phone)
    {
        using var response = await phone.HistoryAsync(story.Http);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<HistoryPageView>(ApiClientJson.Options))!.Entries;
    }
}
