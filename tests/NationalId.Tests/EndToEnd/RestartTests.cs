using System.Net;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;

namespace NationalId.Tests.EndToEnd;

/// <summary>State lives in PostgreSQL: a restarted silo answers exactly as before, and a used QR stays used.</summary>
public class RestartTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task Citizens_rps_credentials_revocations_and_used_qrs_survive_a_silo_restart()
    {
        string used, revokedQr;
        NationalId.Client.Wallet.Wallet active, revoked;
        string apiKey;
        (NationalId.IdNumbers.ResidentIdNumber Id, float[] Face) citizen;
        using (var story = new Story(gateway))
        {
            citizen = await story.EnrollAsync();
            var other = await story.EnrollAsync();
            apiKey = (await story.RegisterAsync("rail", "11", "rail.gate")).ApiKey;
            active = await story.ActivateAsync(citizen.Id, citizen.Face);
            revoked = await story.ActivateAsync(other.Id, other.Face);
            used = active.Present();
            Assert.True((await story.VerifyAsync(apiKey, "rail.gate", used)).Verified);
            Assert.True((await revoked.RevokeAsync(story.Http, revoked.File.CredentialId!, "stolen")).IsSuccessStatusCode);
            revokedQr = revoked.Present();
        }

        await gateway.RestartAsync();

        using (var story = new Story(gateway))
        {
            Assert.True((await story.VerifyAsync(apiKey, "rail.gate", active.Present())).Verified);
            Assert.Equal("replayed", (await story.VerifyAsync(apiKey, "rail.gate", used)).Reason);
            Assert.Equal("revoked", (await story.VerifyAsync(apiKey, "rail.gate", revokedQr)).Reason);
            Assert.Equal("face_mismatch", (await story.VerifyAsync(apiKey, "rail.gate", active.Present(), FaceVectors.Live(FaceVectors.Person(3)))).Reason);
        }

        active.Dispose();
        revoked.Dispose();
    }

    [Fact]
    public async Task An_rp_receives_every_event_at_least_once_across_a_silo_restart()
    {
        string apiKey, first;
        Wallet a, b;
        using (var story = new Story(gateway))
        {
            var one = await story.EnrollAsync();
            var two = await story.EnrollAsync();
            apiKey = (await story.RegisterAsync("hotel", "44", "rail.gate")).ApiKey;
            a = await story.ActivateAsync(one.Id, one.Face);
            b = await story.ActivateAsync(two.Id, two.Face);
            await story.VerifyAsync(apiKey, "rail.gate", a.Present());
            await story.VerifyAsync(apiKey, "rail.gate", b.Present());

            Assert.Equal(HttpStatusCode.NoContent, (await a.RevokeAsync(story.Http, a.File.CredentialId!, "stolen")).StatusCode);
            first = (await EventFeed.WaitForAsync(story.Http, apiKey, null, e => e.Kind == "revoked")).Id;

            // Published just before the silo goes away: it waits in PostgreSQL, not in the process.
            Assert.Equal(HttpStatusCode.NoContent, (await b.ChangeCredentialAsync(story.Http, "suspend", b.File.CredentialId!, "misplaced")).StatusCode);
        }

        await gateway.RestartAsync();

        using (var story = new Story(gateway))
        {
            var second = await EventFeed.WaitForAsync(story.Http, apiKey, first, e => e.Kind == "suspended");
            Assert.True(long.Parse(second.Id, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(first, System.Globalization.CultureInfo.InvariantCulture));
        }

        a.Dispose();
        b.Dispose();
    }
}
