using System.Security.Cryptography;
using NationalId.Citizens;
using NationalId.Client.Faces;
using NationalId.Errors;
using NationalId.History;
using NationalId.IdNumbers;
using NationalId.Protocol;
using NationalId.Tests.Support;
using NationalId.Verification;

namespace NationalId.Tests.Grains;

public class CitizenGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static readonly CitizenHandles Handles = new(TestIdentities.NewSecret());
    private readonly float[] _face = FaceVectors.Person(Random.Shared.Next());

    private async Task<(ICitizenGrain Grain, ECDsa Device, byte[] CredentialId)> ActivatedCitizen(ResidentIdNumber? id = null)
    {
        id ??= TestIdentities.Next();
        var grain = fixture.Grains.GetGrain<ICitizenGrain>(Handles.For(id));
        Assert.True((await grain.Enroll(new CitizenEnrollment(id.Value, "Li Na", new FaceSample(_face, 0.99), null))).Succeeded);
        var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = await grain.Activate(TestCaptures.Attested(fixture.Silo, PresentationCodec.EncodePoint(device.ExportParameters(false).Q), new FaceSample(FaceVectors.Capture(_face, 1), 0.97), "phone"));
        Assert.Null(result.Error);
        return (grain, device, result.CredentialId!);
    }

    private CitizenVerification Presentation(
        ECDsa device, byte[] credentialId, string scope, DateTimeOffset? issuedAt = null, byte[]? nonce = null, FaceSample? face = null, MatchRequest? match = null)
    {
        using var service = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var text = PresentationCodec.Seal(device, 1, service.ExportParameters(false), credentialId, "c11-unused", issuedAt ?? fixture.Clock.GetUtcNow(), nonce);
        Assert.Equal(PresentationError.None, PresentationCodec.TryOpen(text, _ => service, out var p));
        return new CitizenVerification(p!.CredentialId, p.IssuedAt, p.Nonce, p.SignedBytes, p.Signature, TestRelyingParties.InProvince("44"), scope, face, match, Guid.CreateVersion7(fixture.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task A_fresh_presentation_is_verified_with_only_the_scope_attributes()
    {
        var (grain, device, credentialId) = await ActivatedCitizen();
        var outcome = await grain.Verify(Presentation(device, credentialId, "age.over18"));

        Assert.True(outcome.Result.Verified);
        Assert.Equal(Assurance.Substantial, outcome.Result.Assurance);
        Assert.Equal(["age_over_18"], outcome.Result.Attributes.Keys);
        Assert.Equal("true", outcome.Result.Attributes["age_over_18"]);
        Assert.StartsWith("p-", outcome.Result.Pseudonym, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_replayed_presentation_is_rejected()
    {
        var (grain, device, credentialId) = await ActivatedCitizen();
        var presentation = Presentation(device, credentialId, "rail.gate");
        Assert.True((await grain.Verify(presentation)).Result.Verified);
        var again = presentation with { VerificationId = Guid.CreateVersion7(fixture.Clock.GetUtcNow()) };
        Assert.Equal(RejectionReason.Replayed, (await grain.Verify(again)).Result.Reason);
    }

    [Fact]
    public async Task A_retry_of_the_same_verification_gets_the_recorded_answer_even_after_reactivation()
    {
        var (grain, device, credentialId) = await ActivatedCitizen();
        var presentation = Presentation(device, credentialId, "age.over18");
        var first = (await grain.Verify(presentation)).Result;
        Assert.True(first.Verified);

        // The gateway lost the answer and asks again with the same id: same answer, nothing recorded twice.
        var retried = (await grain.Verify(presentation)).Result;
        Assert.Equal(first, retried with { Attributes = first.Attributes });
        Assert.Equal(first.Attributes, retried.Attributes);

        // The silo died: the next activation rebuilds the window from the history and still recognises the retry.
        await fixture.Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var afterCrash = (await grain.Verify(presentation)).Result;
        Assert.True(afterCrash.Verified);
        Assert.Equal(first.VerificationId, afterCrash.VerificationId);
        Assert.Equal(first.Pseudonym, afterCrash.Pseudonym);
        Assert.Single(fixture.History.Records, r => r.EventId == first.VerificationId);
        Assert.Single(fixture.History.Records, r => r.PresentationNonce is { } n && n.AsSpan().SequenceEqual(presentation.Nonce));
    }

    [Fact]
    public async Task An_expired_presentation_is_rejected()
    {
        var (grain, device, credentialId) = await ActivatedCitizen();
        var old = fixture.Clock.GetUtcNow() - TimeSpan.FromSeconds(120);
        Assert.Equal(RejectionReason.Expired, (await grain.Verify(Presentation(device, credentialId, "rail.gate", old))).Result.Reason);
    }

    [Fact]
    public async Task A_future_dated_presentation_is_rejected()
    {
        var (grain, device, credentialId) = await ActivatedCitizen();
        var future = fixture.Clock.GetUtcNow() + TimeSpan.FromMinutes(5);
        Assert.Equal(RejectionReason.NotYetValid, (await grain.Verify(Presentation(device, credentialId, "rail.gate", future))).Result.Reason);
    }

    [Fact]
    public async Task A_presentation_signed_by_another_device_is_rejected()
    {
        var (grain, _, credentialId) = await ActivatedCitizen();
        using var thief = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(RejectionReason.BadSignature, (await grain.Verify(Presentation(thief, credentialId, "rail.gate"))).Result.Reason);
    }

    [Fact]
    public async Task An_unknown_credential_is_rejected()
    {
        var (grain, device, _) = await ActivatedCitizen();
        Assert.Equal(RejectionReason.UnknownCredential, (await grain.Verify(Presentation(device, RandomNumberGenerator.GetBytes(16), "rail.gate"))).Result.Reason);
    }

    [Fact]
    public async Task A_revoked_credential_is_rejected_on_the_next_verification()
    {
        var (grain, device, credentialId) = await ActivatedCitizen();
        Assert.True((await grain.ChangeCredential(new CredentialChange(credentialId, CredentialAction.Revoke, ActionChannel.Counter, "stolen", null, new FaceSample(FaceVectors.Capture(_face, 70), 0.99)))).Succeeded);
        Assert.Equal(RejectionReason.Revoked, (await grain.Verify(Presentation(device, credentialId, "rail.gate"))).Result.Reason);
    }

    [Fact]
    public async Task Face_required_scopes_need_a_matching_live_face()
    {
        var (grain, device, credentialId) = await ActivatedCitizen();
        Assert.Equal(RejectionReason.FaceRequired, (await grain.Verify(Presentation(device, credentialId, "hotel.checkin"))).Result.Reason);

        var stranger = new FaceSample(FaceVectors.Person(Random.Shared.Next()), 0.99);
        Assert.Equal(RejectionReason.FaceMismatch, (await grain.Verify(Presentation(device, credentialId, "hotel.checkin", face: stranger))).Result.Reason);

        var spoof = new FaceSample(FaceVectors.Capture(_face, 5), 0.2);
        Assert.Equal(RejectionReason.LivenessInsufficient, (await grain.Verify(Presentation(device, credentialId, "hotel.checkin", face: spoof))).Result.Reason);

        var live = new FaceSample(FaceVectors.Capture(_face, 6), 0.99);
        var outcome = await grain.Verify(Presentation(device, credentialId, "hotel.checkin", face: live));
        Assert.True(outcome.Result.Verified);
        Assert.Equal(Assurance.High, outcome.Result.Assurance);
    }

    [Fact]
    public async Task A_substantial_credential_without_a_face_cannot_open_a_bank_account()
    {
        var (grain, device, credentialId) = await ActivatedCitizen();
        var live = new FaceSample(FaceVectors.Capture(_face, 8), 0.99);
        Assert.True((await grain.Verify(Presentation(device, credentialId, "bank.account", face: live))).Result.Verified);
    }

    [Fact]
    public async Task Match_requests_answer_yes_or_no_and_disclose_nothing_more()
    {
        var id = TestIdentities.Next();
        var (grain, device, credentialId) = await ActivatedCitizen(id);

        var yes = await grain.Verify(Presentation(device, credentialId, "rail.gate", match: new MatchRequest("id_number", id.Value)));
        var no = await grain.Verify(Presentation(device, credentialId, "rail.gate", match: new MatchRequest("id_number", TestIdentities.Next().Value)));

        Assert.True(yes.Result.Match);
        Assert.False(no.Result.Match);
        Assert.Empty(yes.Result.Attributes);
        Assert.Equal(RejectionReason.AttributeNotMatchable,
            (await grain.Verify(Presentation(device, credentialId, "rail.gate", match: new MatchRequest("birth_date", "1985-01-01")))).Result.Reason);
    }

    [Fact]
    public async Task Every_verification_that_reached_a_credential_is_journaled_without_attribute_values()
    {
        var id = TestIdentities.Next("110105"); // Beijing citizen, Guangdong RP: cross-province
        var (grain, device, credentialId) = await ActivatedCitizen(id);
        var handle = grain.GetPrimaryKeyString();
        await grain.Verify(Presentation(device, credentialId, "age.over18"));
        await grain.Verify(Presentation(device, credentialId, "hotel.checkin"));

        var records = fixture.History.Records.Where(r => r.CitizenHandle == handle && r.Kind == HistoryKind.Verification).ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal([true, false], records.Select(r => r.Verified == true));
        Assert.Equal(["age_over_18"], records[0].DisclosedAttributes!);
        Assert.True(records[0].CrossProvince == true);
        Assert.DoesNotContain(records, r => r.ToString().Contains(id.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_counter_code_activates_with_high_assurance_once()
    {
        var id = TestIdentities.Next();
        var grain = fixture.Grains.GetGrain<ICitizenGrain>(Handles.For(id));
        await grain.Enroll(new CitizenEnrollment(id.Value, "Wang Fang", new FaceSample(_face, 0.99), null));
        var code = await grain.IssueActivationCode();
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = PresentationCodec.EncodePoint(device.ExportParameters(false).Q);

        var result = await grain.Activate(new DeviceActivation(key, null, code.Code, null));
        Assert.Equal(Assurance.High, result.Assurance);

        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var again = await grain.Activate(new DeviceActivation(PresentationCodec.EncodePoint(second.ExportParameters(false).Q), null, code.Code, null));
        Assert.Equal("activation_code_invalid", again.Error);
    }

    [Fact]
    public async Task Wrong_activation_codes_void_the_code_after_the_attempt_limit()
    {
        var id = TestIdentities.Next();
        var grain = fixture.Grains.GetGrain<ICitizenGrain>(Handles.For(id));
        await grain.Enroll(new CitizenEnrollment(id.Value, "Wang Fang", new FaceSample(_face, 0.99), null));
        var code = await grain.IssueActivationCode();
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = PresentationCodec.EncodePoint(device.ExportParameters(false).Q);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("activation_code_invalid", (await grain.Activate(new DeviceActivation(key, null, "WRONG00000", null))).Error);
        }

        Assert.Equal("activation_code_invalid", (await grain.Activate(new DeviceActivation(key, null, code.Code, null))).Error);
    }

    [Fact]
    public async Task Remote_activation_with_another_face_is_refused()
    {
        var id = TestIdentities.Next();
        var grain = fixture.Grains.GetGrain<ICitizenGrain>(Handles.For(id));
        await grain.Enroll(new CitizenEnrollment(id.Value, "Chen Jie", new FaceSample(_face, 0.99), null));
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = await grain.Activate(TestCaptures.Attested(fixture.Silo, PresentationCodec.EncodePoint(device.ExportParameters(false).Q), new FaceSample(FaceVectors.Person(Random.Shared.Next()), 0.99)));
        Assert.Equal(RejectionReason.FaceMismatch, result.Error);
        Assert.Empty((await grain.GetSummary()).Credentials);
    }

    [Fact]
    public async Task The_active_phone_limit_is_enforced()
    {
        var (grain, _, _) = await ActivatedCitizen();
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var third = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Null((await grain.Activate(TestCaptures.Attested(fixture.Silo, PresentationCodec.EncodePoint(second.ExportParameters(false).Q), new FaceSample(FaceVectors.Capture(_face, 2), 0.99)))).Error);
        Assert.Equal("device_limit_reached", (await grain.Activate(TestCaptures.Attested(fixture.Silo, PresentationCodec.EncodePoint(third.ExportParameters(false).Q), new FaceSample(FaceVectors.Capture(_face, 3), 0.99)))).Error);
    }

    [Fact]
    public async Task Enrolling_twice_is_refused_and_changes_nothing()
    {
        var id = TestIdentities.Next();
        var grain = fixture.Grains.GetGrain<ICitizenGrain>(Handles.For(id));
        Assert.True((await grain.Enroll(new CitizenEnrollment(id.Value, "First", new FaceSample(_face, 0.99), null))).Succeeded);
        Assert.Equal("citizen_already_enrolled", (await grain.Enroll(new CitizenEnrollment(id.Value, "Second", new FaceSample(_face, 0.99), null))).Error);
    }

    [Fact]
    public async Task Pseudonyms_are_stable_per_rp_and_differ_across_rps()
    {
        var (grain, device, credentialId) = await ActivatedCitizen();
        var a1 = await grain.Verify(Presentation(device, credentialId, "rail.gate"));
        var a2 = await grain.Verify(Presentation(device, credentialId, "rail.gate"));
        var other = Presentation(device, credentialId, "rail.gate") with { RelyingPartyId = TestRelyingParties.OtherInGuangdong };
        var b = await grain.Verify(other);

        Assert.Equal(a1.Result.Pseudonym, a2.Result.Pseudonym);
        Assert.NotEqual(a1.Result.Pseudonym, b.Result.Pseudonym);
    }
}
