using System.Security.Cryptography;
using NationalId.Citizens;
using NationalId.Client.Faces;
using NationalId.Errors;
using NationalId.Protocol;
using NationalId.RelyingParties;
using NationalId.Tests.Grains;
using NationalId.Tests.Support;
using NationalId.Verification;

namespace NationalId.Tests.TrustBoundaries;

/// <summary>
/// A citizen grain takes no policy from its caller: a message names an RP and a scope, and the grain looks both up in
/// the RP's own policy. Whoever reaches the cluster cannot widen a scope, claim a province or speak for an unknown RP.
/// </summary>
public class GrainAuthorityTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private readonly float[] _face = FaceVectors.Person(Random.Shared.Next());

    private async Task<(ICitizenGrain Grain, ECDsa Device, byte[] CredentialId)> ActivatedAsync()
    {
        var id = TestIdentities.Next();
        var grain = fixture.Grains.GetGrain<ICitizenGrain>(new CitizenHandles(TestIdentities.NewSecret()).For(id));
        Assert.True((await grain.Enroll(new CitizenEnrollment(id.Value, "Gao Yan", new FaceSample(_face, 0.99), null))).Succeeded);
        var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var bound = await grain.Activate(TestCaptures.Attested(fixture.Silo, PresentationCodec.EncodePoint(device.ExportParameters(false).Q), new FaceSample(FaceVectors.Capture(_face, 1), 0.99)));
        return (grain, device, bound.CredentialId!);
    }

    private CitizenVerification Message(ECDsa device, byte[] credentialId, string relyingPartyId, string scope)
    {
        using var service = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var text = PresentationCodec.Seal(device, 1, service.ExportParameters(false), credentialId, "c11-unused", fixture.Clock.GetUtcNow());
        Assert.Equal(PresentationError.None, PresentationCodec.TryOpen(text, _ => service, out var p));
        return new CitizenVerification(p!.CredentialId, p.IssuedAt, p.Nonce, p.SignedBytes, p.Signature, relyingPartyId, scope,
            new FaceSample(FaceVectors.Capture(_face, 2), 0.99), null, Guid.CreateVersion7(fixture.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_scope_the_rp_is_not_registered_for_discloses_nothing()
    {
        var (grain, device, credentialId) = await ActivatedAsync();
        var railOnly = ApiKeys.NewRelyingPartyId("44");
        await fixture.Grains.GetGrain<IRelyingPartyGrain>(railOnly).Register(new RelyingPartyRegistration("Railway", Sector.Rail, "44", ["rail.gate"], new byte[32]));

        var widened = await grain.Verify(Message(device, credentialId, railOnly, "bank.account"));
        Assert.False(widened.Result.Verified);
        Assert.Equal(RejectionReason.NotAuthorized, widened.Result.Reason);
        Assert.Empty(widened.Result.Attributes);
        Assert.True((await grain.Verify(Message(device, credentialId, railOnly, "rail.gate"))).Result.Verified);
    }

    [Fact]
    public async Task An_unknown_or_suspended_rp_gets_nothing_from_a_citizen_grain()
    {
        var (grain, device, credentialId) = await ActivatedAsync();
        var unknown = await grain.Verify(Message(device, credentialId, ApiKeys.NewRelyingPartyId("44"), "bank.account"));
        Assert.Equal(RejectionReason.NotAuthorized, unknown.Result.Reason);

        var bank = ApiKeys.NewRelyingPartyId("11");
        await fixture.Grains.GetGrain<IRelyingPartyGrain>(bank).Register(new RelyingPartyRegistration("Bank", Sector.Bank, "11", ["bank.account"], new byte[32]));
        Assert.True((await grain.Verify(Message(device, credentialId, bank, "bank.account"))).Result.Verified);
        await fixture.Grains.GetGrain<IRelyingPartyGrain>(bank).SetStatus(RelyingPartyStatus.Suspended, "audit");
        fixture.Clock.Advance(TimeSpan.FromSeconds(6)); // past the policy cache's TTL (5 s): the grain asks the RP again
        var suspended = await grain.Verify(Message(device, credentialId, bank, "bank.account"));
        Assert.Equal(RejectionReason.NotAuthorized, suspended.Result.Reason);
        Assert.Empty(suspended.Result.Attributes);
    }

    [Fact]
    public async Task A_principal_answers_for_a_delegate_only_on_the_delegates_own_recorded_verification()
    {
        var handles = new CitizenHandles(TestIdentities.NewSecret());
        var principalId = TestIdentities.Next("110101");
        var principal = fixture.Grains.GetGrain<ICitizenGrain>(handles.For(principalId));
        var principalFace = FaceVectors.Person(Random.Shared.Next());
        Assert.True((await principal.Enroll(new CitizenEnrollment(principalId.Value, "Wang Fang", new FaceSample(principalFace, 0.99), null))).Succeeded);
        var (delegateGrain, device, credentialId) = await ActivatedAsync();
        var delegateHandle = delegateGrain.GetPrimaryKeyString();
        var grant = await principal.GrantMandate(new MandateGrant(delegateHandle, ["bank.account"], fixture.Clock.GetUtcNow(), null, MandateKind.Mandate,
            ActionChannel.Counter, null, new FaceSample(FaceVectors.Capture(principalFace, 1), 0.99)));
        Assert.Null(grant.Error);
        var bank = TestRelyingParties.InProvince("44");

        // A message naming the delegate, with no verification of theirs behind it, gets nothing.
        var forged = await principal.UseMandate(new MandateUse(delegateHandle, bank, "bank.account", null, Guid.CreateVersion7(fixture.Clock.GetUtcNow())));
        Assert.Equal(RejectionReason.NotAuthorized, forged.Result.Reason);
        Assert.Empty(forged.Result.Attributes);

        // A verification of the delegate that was not on behalf of anyone proves nothing either.
        var own = await delegateGrain.Verify(Message(device, credentialId, bank, "bank.account"));
        Assert.True(own.Result.Verified);
        Assert.Equal(RejectionReason.NotAuthorized,
            (await principal.UseMandate(new MandateUse(delegateHandle, bank, "bank.account", null, own.Result.VerificationId))).Result.Reason);

        // The delegate's real on-behalf verification: the principal answers, at the delegate's recorded assurance.
        var delegated = await delegateGrain.Verify(Message(device, credentialId, bank, "bank.account") with { OnBehalf = true });
        Assert.True(delegated.Result.Verified);
        var answer = await principal.UseMandate(new MandateUse(delegateHandle, bank, "bank.account", null, delegated.Result.VerificationId));
        Assert.True(answer.Result.Verified);
        Assert.Equal(delegated.Result.Assurance, answer.Result.Assurance);
        Assert.Equal("Wang Fang", answer.Result.Attributes["name"]);
    }
}
