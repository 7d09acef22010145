using System.Net;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;
using NationalId.IdNumbers;
using NationalId.Tests.EndToEnd;

namespace NationalId.Tests.TrustBoundaries;

/// <summary>A gateway at the default cooling-off for remotely bound phones (the shared test silos set it to zero).</summary>
public sealed class CoolingOffGatewayFixture() : GatewayFixture(["--NationalId:RemoteBindingCoolingOff=3.00:00:00"]);

/// <summary>
/// A phone bound with a face from anywhere starts provisional for 72 hours: it cannot shut the citizen's other phones
/// out, lock the identity, move the residence or grant mandates, while the citizen's other phones and counters see it
/// and can cancel it. Before, a stolen face's phone could at once revoke the victim's phones and lock the identity.
/// </summary>
public class ProvisionalPhoneTests(CoolingOffGatewayFixture gateway) : IClassFixture<CoolingOffGatewayFixture>
{
    private static async Task<Wallet> BindAtCounterAsync(Story story, ResidentIdNumber id)
    {
        using var issued = await story.Http.PostAsOperator(story.OperatorKey, "/v1/operator/citizens/activation-codes", new CitizenRequest(id.Value));
        var code = await issued.Content.ReadFromJsonAsync<ActivationCodeResponse>(ApiClientJson.Options);
        var phone = Wallet.Create();
        Assert.Equal(HttpStatusCode.Created, (await phone.ActivateAsync(story.Http, id.Value, null, code!.Code, "own phone")).StatusCode);
        return phone;
    }

    private static async Task<CitizenView> LookupAsync(Story story, ResidentIdNumber id)
    {
        using var lookup = await story.Http.PostAsOperator(story.OperatorKey, "/v1/operator/citizens/lookup", new CitizenRequest(id.Value));
        return (await lookup.Content.ReadFromJsonAsync<CitizenView>(ApiClientJson.Options))!;
    }

    [Fact]
    public async Task A_remotely_bound_phone_acts_only_on_itself_and_the_citizens_own_phone_cancels_it()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var (delegateId, _) = await story.EnrollAsync();
        using var own = await BindAtCounterAsync(story, id);
        using var granted = await own.GrantMandateAsync(story.Http, delegateId.Value, ["rail.gate"], FaceVectors.Live(FaceVectors.Capture(face, 4)));
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        var mandateId = (await granted.Content.ReadFromJsonAsync<MandateResponse>(ApiClientJson.Options))!.MandateId;
        using var remote = await story.ActivateAsync(id, face); // attested face: substantial, provisional

        var view = await LookupAsync(story, id);
        var remoteView = Assert.Single(view.Credentials, c => c.CredentialId == remote.File.CredentialId);
        Assert.Equal(remoteView.BoundAt + TimeSpan.FromHours(72), remoteView.ProvisionalUntil);
        Assert.Null(Assert.Single(view.Credentials, c => c.CredentialId == own.File.CredentialId).ProvisionalUntil);

        var liveFace = FaceVectors.Live(FaceVectors.Capture(face, 5));
        var attempts = new (string What, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("revoke the own phone", () => remote.RevokeAsync(story.Http, own.File.CredentialId!, "mine now")),
            ("suspend the own phone", () => remote.ChangeCredentialAsync(story.Http, "suspend", own.File.CredentialId!, "mine now")),
            ("lock the identity", () => remote.SetLockedAsync(story.Http, true, "mine now")),
            ("unlock the identity", () => remote.SetLockedAsync(story.Http, false, "mine now", liveFace)),
            ("move the residence", () => remote.RegisterResidenceAsync(story.Http, "44")),
            ("grant a mandate", () => remote.GrantMandateAsync(story.Http, delegateId.Value, ["rail.gate"], liveFace)),
            ("end a mandate", () => remote.RevokeMandateAsync(story.Http, mandateId, "mine now")),
        };
        foreach (var (what, send) in attempts)
        {
            using var response = await send();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{what}: {response.StatusCode}");
            Assert.Equal("credential_provisional", await Story.ErrorCodeAsync(response));
        }

        var unchanged = await LookupAsync(story, id);
        Assert.False(unchanged.Locked);
        Assert.Equal("active", Assert.Single(unchanged.Credentials, c => c.CredentialId == own.File.CredentialId).Status);

        // The citizen's own phone sees the remote binding in its history and cancels it.
        using var history = await own.HistoryAsync(story.Http);
        var page = await history.Content.ReadFromJsonAsync<HistoryPageView>(ApiClientJson.Options);
        Assert.Contains(page!.Entries, e => e.Kind == "bound" && e.CredentialId == remote.File.CredentialId && e.Channel == "remote_face");
        using var cancelled = await own.RevokeAsync(story.Http, remote.File.CredentialId!, "not me");
        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        Assert.Equal("revoked", Assert.Single((await LookupAsync(story, id)).Credentials, c => c.CredentialId == remote.File.CredentialId).Status);
    }

    [Fact]
    public async Task A_provisional_phone_may_still_suspend_or_revoke_itself_and_a_counter_bound_phone_is_never_provisional()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var remote = await story.ActivateAsync(id, face);
        using var suspended = await remote.ChangeCredentialAsync(story.Http, "suspend", remote.File.CredentialId!, "misplaced");
        Assert.Equal(HttpStatusCode.NoContent, suspended.StatusCode);

        using var own = await BindAtCounterAsync(story, id);
        using var locked = await own.SetLockedAsync(story.Http, true, "precaution");
        Assert.Equal(HttpStatusCode.NoContent, locked.StatusCode);
        Assert.True((await LookupAsync(story, id)).Locked);
    }
}
