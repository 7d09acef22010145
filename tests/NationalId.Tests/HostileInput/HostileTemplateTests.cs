using System.Security.Cryptography;
using NationalId.Citizens;
using NationalId.Client.Faces;
using NationalId.Errors;
using NationalId.Protocol;
using NationalId.Tests.Support;
using NationalId.Verification;

namespace NationalId.Tests.HostileInput;

/// <summary>
/// A citizen whose stored template cannot be compared (a component packed to infinity, as a template of 1e5 did before
/// templates were checked) is matched by nobody on any path: QR with a face, unlock, resume, counter actions,
/// in-person checks, cards, phone binding. And the grain itself refuses such a template at enrollment.
/// </summary>
public sealed class HostileTemplateTests : IAsyncLifetime
{
    private StoredStateCluster _stored = null!;

    public async Task InitializeAsync() => _stored = await StoredStateCluster.StartAsync(o => o.FaceFailureLimit = 1000); // every path gets to compare

    public async Task DisposeAsync() => await _stored.DisposeAsync();

    [Fact]
    public async Task The_grain_refuses_to_enroll_a_template_beyond_what_it_can_store()
    {
        var id = TestIdentities.Next();
        var template = FaceVectors.Person(1);
        template[0] = 1e5f;
        var grain = _stored.Cluster.Client.GetGrain<ICitizenGrain>(new CitizenHandles(TestIdentities.NewSecret()).For(id));
        Assert.Equal("face_template_invalid", (await grain.Enroll(new CitizenEnrollment(id.Value, "Ma Lin", new FaceSample(template, 0.99), null))).Error);
        Assert.False((await grain.GetSummary()).Enrolled);
    }

    [Fact]
    public async Task A_stored_template_that_cannot_be_compared_lets_no_stranger_through_on_any_path()
    {
        var id = TestIdentities.Next();
        var handle = new CitizenHandles(TestIdentities.NewSecret()).For(id);
        var grain = _stored.Cluster.Client.GetGrain<ICitizenGrain>(handle);
        var face = FaceVectors.Person(21);
        Assert.True((await grain.Enroll(new CitizenEnrollment(id.Value, "Ma Lin", new FaceSample(face, 0.99), null))).Succeeded);
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var bound = await grain.Activate(TestCaptures.Attested(_stored.Silo, PresentationCodec.EncodePoint(device.ExportParameters(false).Q), new FaceSample(FaceVectors.Capture(face, 1), 0.99)));
        Assert.True((await grain.SetLocked(new IdentityLockChange(true, ActionChannel.Hotline, "precaution", null, null))).Succeeded);
        Assert.True((await grain.ChangeCredential(new CredentialChange(bound.CredentialId!, CredentialAction.Suspend, ActionChannel.Hotline, "lost", null, null))).Succeeded);

        // The stored template gets one component of +infinity in half precision, then the grain is activated afresh.
        _stored.Storage.Tamper<CitizenState>("citizen", GrainId.Create("citizen", handle), s => (s.FaceTemplate[0], s.FaceTemplate[1]) = (0x00, 0x7C));
        await _stored.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        var stranger = new FaceSample(FaceVectors.Person(22), 0.99);
        Assert.Equal(RejectionReason.FaceMismatch, (await grain.SetLocked(new IdentityLockChange(false, ActionChannel.Counter, "unlock", null, stranger))).Error);
        Assert.Equal(RejectionReason.FaceMismatch, (await grain.ChangeCredential(new CredentialChange(bound.CredentialId!, CredentialAction.Resume, ActionChannel.Counter, "found", null, stranger))).Error);
        Assert.Equal(RejectionReason.FaceMismatch, (await grain.ChangeCredential(new CredentialChange(bound.CredentialId!, CredentialAction.Revoke, ActionChannel.Counter, "stolen", null, stranger))).Error);
        Assert.Equal(RejectionReason.FaceMismatch, await grain.MatchFace(stranger));
        Assert.Equal(RejectionReason.FaceMismatch, (await grain.IssueCard(new CardIssue(stranger, TimeSpan.FromDays(365)))).Error);
        var counter = await grain.VerifyInPerson(new InPersonVerification(TestRelyingParties.InProvince("44"), "bank.account", stranger, null, Guid.CreateVersion7(_stored.Clock.GetUtcNow()), null));
        Assert.Equal(RejectionReason.FaceMismatch, counter.Result.Reason);
        using var otherPhone = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(RejectionReason.FaceMismatch, (await grain.Activate(TestCaptures.Attested(_stored.Silo, PresentationCodec.EncodePoint(otherPhone.ExportParameters(false).Q), stranger))).Error);

        // Nothing a stranger tried lifted the lock or the suspension.
        var summary = await grain.GetSummary();
        Assert.True(summary.Locked);
        Assert.Equal(CredentialStatus.Suspended, summary.Credentials.Single().Status);
    }

    [Fact]
    public async Task A_qr_with_a_strangers_face_is_refused_when_the_stored_template_cannot_be_compared()
    {
        var id = TestIdentities.Next();
        var handle = new CitizenHandles(TestIdentities.NewSecret()).For(id);
        var grain = _stored.Cluster.Client.GetGrain<ICitizenGrain>(handle);
        var face = FaceVectors.Person(31);
        Assert.True((await grain.Enroll(new CitizenEnrollment(id.Value, "Ma Lin", new FaceSample(face, 0.99), null))).Succeeded);
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var bound = await grain.Activate(TestCaptures.Attested(_stored.Silo, PresentationCodec.EncodePoint(device.ExportParameters(false).Q), new FaceSample(FaceVectors.Capture(face, 1), 0.99)));
        _stored.Storage.Tamper<CitizenState>("citizen", GrainId.Create("citizen", handle), s => (s.FaceTemplate[0], s.FaceTemplate[1]) = (0x00, 0x7C));
        await _stored.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        using var service = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        foreach (var scope in new[] { "bank.account", "hotel.checkin" })
        {
            var text = PresentationCodec.Seal(device, 1, service.ExportParameters(false), bound.CredentialId!, handle, _stored.Clock.GetUtcNow());
            Assert.Equal(PresentationError.None, PresentationCodec.TryOpen(text, _ => service, out var p));
            var outcome = await grain.Verify(new CitizenVerification(p!.CredentialId, p.IssuedAt, p.Nonce, p.SignedBytes, p.Signature, TestRelyingParties.InProvince("44"),
                scope, new FaceSample(FaceVectors.Person(32), 0.99), null, Guid.CreateVersion7(_stored.Clock.GetUtcNow())));
            Assert.False(outcome.Result.Verified);
            Assert.Equal(RejectionReason.FaceMismatch, outcome.Result.Reason);
            Assert.Empty(outcome.Result.Attributes);
        }
    }

    [Fact]
    public async Task A_citizens_row_copied_under_another_citizens_key_is_refused_not_served()
    {
        // Whoever can write the table copies a citizen they control (their own face) over a victim's row.
        var secret = TestIdentities.NewSecret();
        var attacker = TestIdentities.Next();
        var victim = TestIdentities.Next();
        var (attackerHandle, victimHandle) = (new CitizenHandles(secret).For(attacker), new CitizenHandles(secret).For(victim));
        var attackerFace = FaceVectors.Person(41);
        Assert.True((await _stored.Cluster.Client.GetGrain<ICitizenGrain>(attackerHandle).Enroll(new CitizenEnrollment(attacker.Value, "Attacker", new FaceSample(attackerFace, 0.99), null))).Succeeded);
        var victimGrain = _stored.Cluster.Client.GetGrain<ICitizenGrain>(victimHandle);
        Assert.True((await victimGrain.Enroll(new CitizenEnrollment(victim.Value, "Victim", new FaceSample(FaceVectors.Person(42), 0.99), null))).Succeeded);

        _stored.Storage.CopyRow("citizen", GrainId.Create("citizen", attackerHandle), GrainId.Create("citizen", victimHandle));
        await _stored.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        // The attacker's face would bind a phone to the victim's identity if the row were served: it is refused whole.
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await Assert.ThrowsAnyAsync<Exception>(() => victimGrain.Activate(TestCaptures.Attested(_stored.Silo, PresentationCodec.EncodePoint(device.ExportParameters(false).Q), new FaceSample(FaceVectors.Capture(attackerFace, 1), 0.99))));
        Assert.True((await _stored.Cluster.Client.GetGrain<ICitizenGrain>(attackerHandle).GetSummary()).Enrolled); // the source is untouched
    }
}
