using System.Security.Cryptography;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.History;
using NationalId.Verification;

namespace NationalId.Citizens;

/// <summary>
/// Serving people without a smartphone: verification at a counter (ID number from the physical card and a live
/// face), printed cards (a static QR, always with a live face), and the limit on failed face matches.
/// </summary>
public sealed partial class CitizenGrain
{
    public async Task<CitizenVerificationOutcome> VerifyInPerson(InPersonVerification request)
    {
        var now = clock.GetUtcNow();
        if (!Citizen.Enrolled)
        {
            // Nothing to record against: no such citizen (counter) or no such card.
            return VerificationAnswers.Unrecorded(request.CardId is null ? RejectionReason.UnknownCitizen : RejectionReason.UnknownCredential, now);
        }

        if (await relyingParties.AuthorizedScopeAsync(request.RelyingPartyId, request.ScopeName) is not var (rpProvince, scope))
        {
            return VerificationAnswers.Unrecorded(RejectionReason.NotAuthorized, now);
        }

        var verificationId = VerificationLog.IdFor(request.VerificationId, now);
        var crossProvince = Citizen.HomeProvince != rpProvince;

        // No nonce here: a retry of the same request (same id) is recognised by its history line, so it is neither
        // recorded twice nor counted twice against the face-attempt limit.
        if (await Verifications.Find(verificationId) is { } recorded)
        {
            return new CitizenVerificationOutcome(Repeat(request.RelyingPartyId, scope, request.Match, recorded), crossProvince);
        }

        var card = request.CardId is { } cardId ? Citizen.Cards.Find(c => c.CardId.AsSpan().SequenceEqual(cardId)) : null;
        if (request.CardId is not null && card is null)
        {
            return VerificationAnswers.Unrecorded(RejectionReason.UnknownCredential, now);
        }

        var channel = card is null ? FaceAttempts.InPerson : FaceAttempts.Card;
        var reason = VerificationRules.Card(card, Citizen.Locked, now);
        reason ??= request.Face is null ? RejectionReason.FaceRequired : await CheckFace(request.Face, now, channel);
        if (reason is null && request.Match is { } match && !scope.MatchAttributes.Contains(match.Attribute, StringComparer.Ordinal))
        {
            reason = RejectionReason.AttributeNotMatchable;
        }

        var at = UuidV7.Timestamp(verificationId);
        var result = VerificationAnswers.Decided(Citizen, reason, request.RelyingPartyId, scope, request.Match, verificationId, Assurance.High, at);
        await Verifications.Append(result, card?.CardId, request.RelyingPartyId, scope, rpProvince, crossProvince, channel,
            registration: Verifications.Registration(Citizen, scope, request.RelyingPartyId, rpProvince, result));
        return new CitizenVerificationOutcome(result, crossProvince);
    }

    public async Task<string?> MatchFace(FaceSample face) =>
        Citizen.Enrolled ? await CheckFace(face, clock.GetUtcNow(), FaceAttempts.InPerson) : RejectionReason.UnknownCitizen;

    public async Task<CardIssueResult> IssueCard(CardIssue issue)
    {
        if (!Citizen.Enrolled)
        {
            return new CardIssueResult(ErrorCodes.CitizenNotFound, null, default);
        }

        // The citizen's live face; failures count toward the in-person limit (a card is an in-person credential).
        if (await CheckFace(issue.Face, clock.GetUtcNow(), FaceAttempts.Card) is { } faceProblem)
        {
            return new CardIssueResult(faceProblem, null, default);
        }

        var now = clock.GetUtcNow();
        foreach (var previous in Citizen.Cards.Where(c => !c.Revoked))
        {
            previous.Revoked = true;
            Raise(HistoryKind.CardRevoked, previous.CardId, "counter", "reprinted");
        }

        var card = new CardRecord { CardId = RandomNumberGenerator.GetBytes(16), IssuedAt = now, ExpiresAt = now + issue.Validity };
        Citizen.Cards.RemoveAll(c => c.Revoked && c.ExpiresAt < now); // expired and revoked: nothing left to refuse
        Citizen.Cards.Add(card);
        Raise(HistoryKind.CardIssued, card.CardId, "counter", null);
        await Commit();
        return new CardIssueResult(null, card.CardId, card.ExpiresAt);
    }

    public async Task<OperationOutcome> RevokeCard(CardRevocation revocation)
    {
        if (!Citizen.Enrolled)
        {
            return OperationOutcome.Fail(ErrorCodes.CitizenNotFound);
        }

        if (Permitted(null, CitizenAction.RevokeCard, revocation.Channel, revocation.Face) is { } refused)
        {
            return OperationOutcome.Fail(refused);
        }

        var current = Citizen.Cards.Where(c => !c.Revoked).ToList();
        if (current.Count == 0)
        {
            return OperationOutcome.Fail(ErrorCodes.CardNotFound);
        }

        foreach (var card in current)
        {
            card.Revoked = true;
            Raise(HistoryKind.CardRevoked, card.CardId, ChannelPolicy.Name(revocation.Channel), revocation.Reason);
        }

        await Commit();
        return OperationOutcome.Ok;
    }

    private Task<string?> CheckFace(FaceSample face, DateTimeOffset now, string channel) => Faces.Check(face, now, channel);
}
