using NationalId.Errors;
using NationalId.History;
using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Citizens.Rules;

/// <summary>What a verified citizen's answer says, pure: this RP's pseudonym, the scope's attributes, the match's yes or no.</summary>
public static class VerificationAnswers
{
    public static VerificationResult Verified(
        CitizenState citizen, string relyingPartyId, ScopePolicy scope, MatchRequest? matchRequest, Guid verificationId, Assurance assurance, DateTimeOffset at)
    {
        var today = DateOnly.FromDateTime(at.UtcDateTime);
        bool? match = matchRequest is { } m ? AttributeDisclosure.Matches(citizen, m.Attribute, m.Value, today) : null;
        return new VerificationResult(
            verificationId,
            true,
            null,
            assurance,
            Pseudonyms.For(citizen.PseudonymSecret, relyingPartyId),
            AttributeDisclosure.For(citizen, scope, today),
            match,
            at);
    }

    /// <summary>The answer already recorded for a verification id, given again to a retry of the same request.</summary>
    public static VerificationResult Repeat(CitizenState citizen, string relyingPartyId, ScopePolicy scope, MatchRequest? match, HistoryRecord recorded) =>
        recorded.Verified == true
            ? Verified(citizen, relyingPartyId, scope, match, recorded.EventId, (Assurance)(recorded.Assurance ?? 0), recorded.RecordedAt)
            : VerificationResult.Rejected(recorded.Reason ?? RejectionReason.Replayed, recorded.RecordedAt) with { VerificationId = recorded.EventId };

    /// <summary>The answer to a decided verification: verified with this assurance when no reason refuses it.</summary>
    public static VerificationResult Decided(
        CitizenState citizen, string? reason, string relyingPartyId, ScopePolicy scope, MatchRequest? match, Guid verificationId, Assurance assurance, DateTimeOffset at) =>
        reason is null
            ? Verified(citizen, relyingPartyId, scope, match, verificationId, assurance, at)
            : VerificationResult.Rejected(reason, at) with { VerificationId = verificationId };

    /// <summary>A refusal nothing is recorded for (no such citizen, credential or authorization: no line to add to).</summary>
    public static CitizenVerificationOutcome Unrecorded(string reason, DateTimeOffset now) => new(VerificationResult.Rejected(reason, now), false);
}
