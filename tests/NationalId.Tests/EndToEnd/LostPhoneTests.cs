using System.Net;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;

namespace NationalId.Tests.EndToEnd;

/// <summary>Lost, found and stolen phones, through HTTP against PostgreSQL, from channels that do not need the phone.</summary>
[Collection(GatewayCollection.Name)]
public class LostPhoneTests(GatewayFixture gateway)
{
    private Task<HttpResponseMessage> AtCounter(Story story, string action, string idNumber, Wallet phone, float[]? face, string channel = "counter") =>
        story.Http.PostAsOperator(gateway.OperatorKey, $"/v1/operator/citizens/credentials/{action}",
            new CounterCredentialRequest(idNumber, phone.File.CredentialId, $"{action} at the {channel}", face is null ? null : FaceVectors.Live(FaceVectors.Capture(face, Random.Shared.Next())), channel));

    [Fact]
    public async Task Lost_then_found_then_stolen_then_replaced()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var phone = await story.ActivateAsync(id, face);

        // Lost: suspended at a counter after an in-person face match.
        Assert.Equal(HttpStatusCode.NoContent, (await AtCounter(story, "suspend", id.Value, phone, face)).StatusCode);
        Assert.Equal("suspended", (await story.VerifyAsync(rail.ApiKey, "rail.gate", phone.Present())).Reason);

        // Found: the phone itself lifts its suspension with a live face match.
        var resumed = await phone.ChangeCredentialAsync(story.Http, "resume", phone.File.CredentialId!, "found it", FaceVectors.Live(FaceVectors.Capture(face, 5)));
        Assert.Equal(HttpStatusCode.NoContent, resumed.StatusCode);
        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", phone.Present())).Verified);

        // Stolen: revoked at the counter; a QR made before the theft is rejected.
        var oldQr = phone.Present();
        Assert.Equal(HttpStatusCode.NoContent, (await AtCounter(story, "revoke", id.Value, phone, face)).StatusCode);
        Assert.Equal("revoked", (await story.VerifyAsync(rail.ApiKey, "rail.gate", oldQr)).Reason);

        // A new phone is bound and works; the old one never comes back.
        using var replacement = await story.ActivateAsync(id, face);
        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", replacement.Present())).Verified);
        var resumeRevoked = await AtCounter(story, "resume", id.Value, phone, face);
        Assert.Equal(HttpStatusCode.Conflict, resumeRevoked.StatusCode);
        Assert.Equal("credential_revoked", await Story.ErrorCodeAsync(resumeRevoked));
        Assert.Equal("revoked", (await story.VerifyAsync(rail.ApiKey, "rail.gate", phone.Present())).Reason);
    }

    [Fact]
    public async Task A_second_phone_suspends_the_lost_one_and_the_lost_one_cannot_act()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var lost = await story.ActivateAsync(id, face);
        using var other = await story.ActivateAsync(id, face);

        var suspend = await other.ChangeCredentialAsync(story.Http, "suspend", lost.File.CredentialId!, "left it in a taxi");
        Assert.Equal(HttpStatusCode.NoContent, suspend.StatusCode);
        Assert.Equal("suspended", (await story.VerifyAsync(rail.ApiKey, "rail.gate", lost.Present())).Reason);

        // Whoever holds the suspended phone cannot use it to revoke the citizen's good phone.
        var attack = await lost.ChangeCredentialAsync(story.Http, "revoke", other.File.CredentialId!, "malice");
        Assert.Equal(HttpStatusCode.Unauthorized, attack.StatusCode);
        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", other.Present())).Verified);
    }

    [Fact]
    public async Task Resuming_needs_a_live_face_of_the_citizen()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);
        Assert.Equal(HttpStatusCode.NoContent, (await AtCounter(story, "suspend", id.Value, phone, null, "hotline")).StatusCode);

        var noFace = await phone.ChangeCredentialAsync(story.Http, "resume", phone.File.CredentialId!, "found");
        Assert.Equal(HttpStatusCode.BadRequest, noFace.StatusCode);
        Assert.Equal("face_required", await Story.ErrorCodeAsync(noFace));
        var wrongFace = await phone.ChangeCredentialAsync(story.Http, "resume", phone.File.CredentialId!, "found", FaceVectors.Live(FaceVectors.Person(99)));
        Assert.Equal(HttpStatusCode.Forbidden, wrongFace.StatusCode);
        Assert.Equal("face_mismatch", await Story.ErrorCodeAsync(wrongFace));
    }

    [Fact]
    public async Task The_hotline_may_suspend_but_not_resume_or_revoke()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);

        Assert.Equal(HttpStatusCode.NoContent, (await AtCounter(story, "suspend", id.Value, phone, null, "hotline")).StatusCode);
        foreach (var action in new[] { "resume", "revoke" })
        {
            var refused = await AtCounter(story, action, id.Value, phone, face, "hotline");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("channel_not_allowed", await Story.ErrorCodeAsync(refused));
        }
    }

    [Fact]
    public async Task A_counter_action_without_the_citizens_face_is_refused_and_changes_nothing()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var phone = await story.ActivateAsync(id, face);

        var noFace = await AtCounter(story, "revoke", id.Value, phone, null);
        Assert.Equal(HttpStatusCode.BadRequest, noFace.StatusCode);
        Assert.Equal("face_required", await Story.ErrorCodeAsync(noFace));
        var impostor = await AtCounter(story, "revoke", id.Value, phone, FaceVectors.Person(1234));
        Assert.Equal(HttpStatusCode.Forbidden, impostor.StatusCode);
        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", phone.Present())).Verified);
    }

    [Fact]
    public async Task The_active_phone_limit_is_enforced_and_a_revoked_phone_frees_a_place()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var first = await story.ActivateAsync(id, face);
        using var second = await story.ActivateAsync(id, face);
        using var third = Wallet.Create();

        var refused = await third.ActivateAsync(story.Http, id.Value, FaceVectors.Live(FaceVectors.Capture(face, 3)), null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("device_limit_reached", await Story.ErrorCodeAsync(refused));

        Assert.Equal(HttpStatusCode.NoContent, (await second.RevokeAsync(story.Http, first.File.CredentialId!, "old phone")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await third.ActivateAsync(story.Http, id.Value, FaceVectors.Live(FaceVectors.Capture(face, 4)), null)).StatusCode);
    }

    [Fact]
    public async Task Lock_my_identity_stops_every_remote_verification_until_unlocked_with_a_face()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var rail = await story.RegisterAsync("rail", "11", "rail.gate");
        using var phone = await story.ActivateAsync(id, face);

        Assert.Equal(HttpStatusCode.NoContent, (await phone.SetLockedAsync(story.Http, true, "I think someone has my data")).StatusCode);
        Assert.Equal("citizen_locked", (await story.VerifyAsync(rail.ApiKey, "rail.gate", phone.Present())).Reason);

        var noFace = await phone.SetLockedAsync(story.Http, false, "all good");
        Assert.Equal(HttpStatusCode.BadRequest, noFace.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await phone.SetLockedAsync(story.Http, false, "all good", FaceVectors.Live(FaceVectors.Capture(face, 8)))).StatusCode);
        Assert.True((await story.VerifyAsync(rail.ApiKey, "rail.gate", phone.Present())).Verified);
    }

    [Fact]
    public async Task Every_event_lands_in_the_citizens_history_with_its_channel()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);
        using var other = await story.ActivateAsync(id, face);
        await AtCounter(story, "suspend", id.Value, phone, null, "hotline");
        await phone.ChangeCredentialAsync(story.Http, "resume", phone.File.CredentialId!, "found", FaceVectors.Live(FaceVectors.Capture(face, 1)));
        await other.SetLockedAsync(story.Http, true, "precaution");
        await other.SetLockedAsync(story.Http, false, "done", FaceVectors.Live(FaceVectors.Capture(face, 2)));
        await other.RevokeAsync(story.Http, phone.File.CredentialId!, "sold it");

        var response = await other.HistoryAsync(story.Http);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = (await response.Content.ReadFromJsonAsync<HistoryPageView>(ApiClientJson.Options))!;
        Assert.Equal(
            ["revoked/device", "unlocked/device", "locked/device", "resumed/device", "suspended/hotline", "bound/remote_face", "bound/remote_face", "enrolled/counter"],
            page.Entries.Select(e => $"{e.Kind}/{e.Channel}"));
        Assert.Equal("sold it", page.Entries[0].Note);
    }

    [Fact]
    public async Task A_locked_identity_binds_no_new_phone_remotely()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);
        Assert.Equal(HttpStatusCode.NoContent, (await phone.SetLockedAsync(story.Http, true, "phone stolen with my face photo")).StatusCode);

        using var intruder = Wallet.Create();
        var refused = await intruder.ActivateAsync(story.Http, id.Value, FaceVectors.Live(FaceVectors.Capture(face, 12)), null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("citizen_locked", await Story.ErrorCodeAsync(refused));
    }

    [Fact]
    public async Task An_unsigned_caller_learns_nothing_about_faces()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);
        using var thief = Wallet.Create();
        thief.File.CredentialReference = phone.File.CredentialReference;

        // A wrong and a right face give the same answer without a valid device signature.
        foreach (var probe in new[] { FaceVectors.Person(5), FaceVectors.Capture(face, 6) })
        {
            var response = await thief.ChangeCredentialAsync(story.Http, "resume", phone.File.CredentialId!, "probe", FaceVectors.Live(probe));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("device_signature_invalid", await Story.ErrorCodeAsync(response));
        }
    }
}
