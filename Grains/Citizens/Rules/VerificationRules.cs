using NationalId.Errors;
using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Citizens.Rules;

/// <summary>What a phone verification is decided on, once its signature, freshness and single use were checked.</summary>
public sealed record VerificationFacts(
    CredentialStatus CredentialStatus,
    Assurance CredentialAssurance,
    bool CitizenLocked,
    ScopePolicy Scope,
    FaceSample? Face,
    MatchRequest? Match);

/// <summary>
/// The verification decision, pure (docs/reference/protocol.md §6.1, from the credential's status on): the rejection reason or
/// null, and the assurance the answer carries (a matching live face raises it to high).
/// </summary>
public static class VerificationRules
{
    /// <summary>
    /// The presentation itself, before anything about the credential is told: a signature that verifies, then its
    /// signed issue time within its lifetime, with the clock skew allowed either way. Null when it holds.
    /// </summary>
    public static string? Presentation(bool signatureValid, DateTimeOffset issuedAt, DateTimeOffset now, TimeSpan clockSkew) =>
        !signatureValid ? RejectionReason.BadSignature
            : issuedAt > now + clockSkew ? RejectionReason.NotYetValid
            : issuedAt + Protocol.ProtocolConstants.PresentationLifetime + clockSkew < now ? RejectionReason.Expired
            : null;

    public static (string? Reason, Assurance Assurance) Decide(VerificationFacts facts, ReadOnlySpan<byte> enrolledTemplate, FacePolicy policy)
    {
        var assurance = facts.CredentialAssurance;
        switch (facts.CredentialStatus)
        {
            case CredentialStatus.Revoked:
                return (RejectionReason.Revoked, assurance);
            case CredentialStatus.Suspended:
                return (RejectionReason.Suspended, assurance);
        }

        if (facts.CitizenLocked)
        {
            return (RejectionReason.CitizenLocked, assurance);
        }

        if (facts.Face is { } face)
        {
            if (FaceRules.Check(enrolledTemplate, face, required: true, policy) is { } faceProblem)
            {
                return (faceProblem, assurance);
            }

            assurance = Assurance.High;
        }
        else if (facts.Scope.FaceRequired)
        {
            return (RejectionReason.FaceRequired, assurance);
        }

        if (assurance < facts.Scope.MinimumAssurance)
        {
            return (RejectionReason.AssuranceTooLow, assurance);
        }

        if (facts.Match is { } match && !facts.Scope.MatchAttributes.Contains(match.Attribute, StringComparer.Ordinal))
        {
            return (RejectionReason.AttributeNotMatchable, assurance);
        }

        return (null, assurance);
    }

    /// <summary>
    /// A printed card's own refusal, before its holder's face: revoked, expired, or the citizen locked. A printed card is
    /// a credential like a phone, so "lock my identity" stops it; a counter check (no card: the physical ID card and the
    /// person's face, in front of staff) is how a locked citizen still proves who they are.
    /// </summary>
    public static string? Card(CardRecord? card, bool citizenLocked, DateTimeOffset now) => card switch
    {
        null => null,
        { Revoked: true } => RejectionReason.Revoked,
        { } c when c.ExpiresAt <= now => RejectionReason.Expired,
        _ when citizenLocked => RejectionReason.CitizenLocked,
        _ => null,
    };
}
