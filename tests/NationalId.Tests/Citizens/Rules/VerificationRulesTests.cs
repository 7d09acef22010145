using NationalId.Citizens;
using NationalId.Citizens.Rules;
using NationalId.Client.Faces;
using NationalId.Errors;
using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Tests.Citizens.Rules;

/// <summary>The verification decision alone (docs/reference/protocol.md §6.1 from the credential's status on), in its order.</summary>
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

public class PrintedCardRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static CardRecord Card(bool revoked = false, int expiresInDays = 365) =>
        new() { CardId = new byte[16], IssuedAt = Now.AddDays(-1), ExpiresAt = Now.AddDays(expiresInDays), Revoked = revoked };

    [Fact]
    public void A_printed_card_is_refused_revoked_then_expired_then_locked_and_a_counter_check_without_a_card_never_is()
    {
        Assert.Null(VerificationRules.Card(Card(), citizenLocked: false, Now));
        Assert.Equal(RejectionReason.Revoked, VerificationRules.Card(Card(revoked: true, expiresInDays: -1), citizenLocked: true, Now));
        Assert.Equal(RejectionReason.Expired, VerificationRules.Card(Card(expiresInDays: 0), citizenLocked: true, Now)); // expiring now is expired
        Assert.Equal(RejectionReason.CitizenLocked, VerificationRules.Card(Card(), citizenLocked: true, Now));
        Assert.Null(VerificationRules.Card(null, citizenLocked: true, Now)); // the physical ID card and a face, in front of staff
    }
}

public class PresentationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Lifetime = NationalId.Protocol.ProtocolConstants.PresentationLifetime;

    [Fact]
    public void A_presentation_is_refused_for_its_signature_first_then_a_time_outside_its_lifetime_and_skew()
    {
        Assert.Equal(RejectionReason.BadSignature, VerificationRules.Presentation(false, Now.AddDays(1), Now, Skew));
        Assert.Null(VerificationRules.Presentation(true, Now + Skew, Now, Skew));
        Assert.Equal(RejectionReason.NotYetValid, VerificationRules.Presentation(true, Now + Skew + TimeSpan.FromTicks(1), Now, Skew));
        Assert.Null(VerificationRules.Presentation(true, Now - Lifetime - Skew, Now, Skew));
        Assert.Equal(RejectionReason.Expired, VerificationRules.Presentation(true, Now - Lifetime - Skew - TimeSpan.FromTicks(1), Now, Skew));
    }
}
