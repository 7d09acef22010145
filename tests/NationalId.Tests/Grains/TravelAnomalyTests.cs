using System.Security.Cryptography;
using NationalId.Citizens;
using NationalId.Citizens.Rules;
using NationalId.Client.Faces;
using NationalId.Errors;
using NationalId.History;
using NationalId.Protocol;
using NationalId.Tests.Support;
using NationalId.Verification;

namespace NationalId.Tests.Grains;

/// <summary>One credential verified in two provinces nobody can travel between in the time between (the cluster's policy: suspend).</summary>
public class TravelAnomalyTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly CitizenHandles Handles = new(TestIdentities.NewSecret());
    private readonly float[] _face = FaceVectors.Person(Random.Shared.Next());

    [Theory]
    [InlineData("11", "12", 30)] // Beijing, then Tianjin half an hour later: a train ride
    [InlineData("11", "44", 240)] // Beijing, then Guangzhou four hours later: a flight
    [InlineData("44", "44", 1)]
    public void Possible_journeys_are_not_flagged(string from, string to, int minutes) =>
        Assert.False(TravelRule.Impossible(from, fixture.Clock.GetUtcNow(), to, fixture.Clock.GetUtcNow().AddMinutes(minutes)));

    [Fact]
    public async Task Beijing_then_guangzhou_twenty_minutes_later_is_flagged_told_and_suspended()
    {
        var (grain, handle, device, credentialId) = await ActivatedCitizen();
        Assert.True((await grain.Verify(Presentation(device, credentialId, "11"))).Result.Verified);

        fixture.Clock.Advance(TimeSpan.FromMinutes(20));
        var second = (await grain.Verify(Presentation(device, credentialId, "44"))).Result;
        Assert.False(second.Verified);
        Assert.Equal(RejectionReason.Suspended, second.Reason);

        var events = fixture.History.Records.Where(r => r.CitizenHandle == handle && r.Kind != HistoryKind.Verification).Select(r => r.Kind).ToList();
        Assert.Contains(HistoryKind.TravelAnomaly, events);
        Assert.Contains(HistoryKind.Suspended, events);
        Assert.Contains(fixture.History.Records, r => r.CitizenHandle == handle && r.Kind == HistoryKind.TravelAnomaly && r.Note == "11 then 44 within 20 min");
        var summary = await grain.GetSummary();
        Assert.Equal(CredentialStatus.Suspended, summary.Credentials.Single().Status);
    }

    private async Task<(ICitizenGrain Grain, string Handle, ECDsa Device, byte[] CredentialId)> ActivatedCitizen()
    {
        var id = TestIdentities.Next("110105");
        var handle = Handles.For(id);
        var grain = fixture.Grains.GetGrain<ICitizenGrain>(handle);
        Assert.True((await grain.Enroll(new CitizenEnrollment(id.Value, "Gao Shan", new FaceSample(_face, 0.99), null))).Succeeded);
        var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = await grain.Activate(TestCaptures.Attested(fixture.Silo, PresentationCodec.EncodePoint(device.ExportParameters(false).Q), new FaceSample(FaceVectors.Capture(_face, 1), 0.97), "phone"));
        return (grain, handle, device, result.CredentialId!);
    }

    private CitizenVerification Presentation(ECDsa device, byte[] credentialId, string rpProvince)
    {
        using var service = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var text = PresentationCodec.Seal(device, 1, service.ExportParameters(false), credentialId, "c11-unused", fixture.Clock.GetUtcNow());
        Assert.Equal(PresentationError.None, PresentationCodec.TryOpen(text, _ => service, out var p));
        return new CitizenVerification(p!.CredentialId, p.IssuedAt, p.Nonce, p.SignedBytes, p.Signature, TestRelyingParties.InProvince(rpProvince),
            "rail.gate", null, null, Guid.CreateVersion7(fixture.Clock.GetUtcNow()));
    }
}
