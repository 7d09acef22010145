using NationalId.Citizens;
using NationalId.Citizens.Rules;
using NationalId.Client.Faces;
using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Tests.Citizens.Rules;

/// <summary>The verification decision alone (docs/protocol.md §6.1 from the credential's status on), in its order.</summary>
public class VerificationRulesTests
{
    private static readonly FacePolicy Policy = FacePolicy.From(new NationalIdOptions());
    private static readonly float[] Person = FaceVectors.Person(5);
    private static readonly byte[] Enrolled = FaceMatcher.Pack(Person);

    private static ScopePolicy Scope(string name) => ScopeCatalog.TryGet(name, out var scope) ? scope : throw new ArgumentException(name);

    private static (string? Reason, Assurance Assurance) Decide(
        CredentialStatus status = CredentialStatus.Active, Assurance assurance = Assurance.Substantial, bool locked = false,
        string scope = "rail.gate", FaceSample? face = null, MatchRequest? match = null) =>
        VerificationRules.Decide(new VerificationFacts(status, assurance, locked, Scope(scope), face, match), Enrolled, Policy);

    [Fact]
    public void The_credential_status_comes_first_then_the_lock_then_the_face_then_assurance_then_the_match()
    {
        var wrongFace = new FaceSample(FaceVectors.Person(6), 0.99);
        Assert.Equal(RejectionReason.Revoked, Decide(CredentialStatus.Revoked, locked: true, face: wrongFace).Reason);
        Assert.Equal(RejectionReason.Suspended, Decide(CredentialStatus.Suspended, locked: true).Reason);
        Assert.Equal(RejectionReason.CitizenLocked, Decide(locked: true, face: wrongFace).Reason);
        Assert.Equal(RejectionReason.FaceMismatch, Decide(face: wrongFace).Reason);
        Assert.Equal(RejectionReason.LivenessInsufficient, Decide(face: new FaceSample(FaceVectors.Capture(Person, 1), 0.5)).Reason);
        Assert.Null(Decide().Reason);
    }

    [Fact]
    public void A_matching_live_face_raises_the_assurance_to_high_and_a_scope_that_needs_a_face_refuses_without_one()
    {
        Assert.Equal((null, Assurance.High), Decide(face: new FaceSample(FaceVectors.Capture(Person, 2), 0.99)));
        var needsFace = new ScopePolicy("test.face", [], [], FaceRequired: true, Assurance.Substantial, InPersonAllowed: true);
        Assert.Equal(RejectionReason.FaceRequired, VerificationRules.Decide(
            new VerificationFacts(CredentialStatus.Active, Assurance.Substantial, false, needsFace, null, null), Enrolled, Policy).Reason);
    }

    [Fact]
    public void Below_the_scopes_minimum_assurance_is_refused_unless_a_live_face_raises_it()
    {
        var high = new ScopePolicy("test.high", [], [], FaceRequired: false, Assurance.High, InPersonAllowed: false);
        (string?, Assurance) With(Assurance credential, FaceSample? face) =>
            VerificationRules.Decide(new VerificationFacts(CredentialStatus.Active, credential, false, high, face, null), Enrolled, Policy);
        Assert.Equal(RejectionReason.AssuranceTooLow, With(Assurance.Substantial, null).Item1);
        Assert.Null(With(Assurance.High, null).Item1);
        Assert.Equal((null, Assurance.High), With(Assurance.Substantial, new FaceSample(FaceVectors.Capture(Person, 3), 0.99)));
    }

    [Fact]
    public void A_match_on_an_attribute_the_scope_does_not_allow_is_refused()
    {
        var scope = Scope("rail.gate");
        var notAllowed = DisclosableAttribute.All.First(a => !scope.MatchAttributes.Contains(a, StringComparer.Ordinal));
        Assert.Equal(RejectionReason.AttributeNotMatchable, Decide(match: new MatchRequest(notAllowed, "x")).Reason);
    }
}
