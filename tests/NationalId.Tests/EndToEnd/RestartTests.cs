using NationalId.Client.Faces;

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
}
