using System.Security.Cryptography;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.History;
using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Citizens;

/// <summary>
/// Serving people without a smartphone: verification at a counter (ID number from the physical card and a live
/// face), printed cards (a static QR, always with a live face), and the limit on failed in-person face matches.
/// </summary>
public sealed partial class CitizenGrain
{
    private const string InPersonChannel = "in_person";
    private const string CardChannel = "printed_card";
    private const string RemoteChannel = "remote_face";

    public async Task<CitizenVerificationOutcome> VerifyInPerson(InPersonVerification request)
    {
        var now = clock.GetUtcNow();
        if (!Citizen.Enrolled)
        {
            // Nothing to record against: no such citizen (counter) or no such card.
            return new CitizenVerificationOutcome(
                VerificationResult.Rejected(request.CardId is null ? RejectionReason.UnknownCitizen : RejectionReason.UnknownCredential, now), false);
        }

        if (await AuthorizedScope(request.RelyingPartyId, request.ScopeName) is not var (rpProvince, scope))
        {
            return new CitizenVerificationOutcome(VerificationResult.Rejected(RejectionReason.NotAuthorized, now), false);
        }

        var verificationId = VerificationIdFor(request.VerificationId, now);
        var crossProvince = Citizen.HomeProvince != rpProvince;

        // No nonce here: a retry of the same request (same id) is recognised by its history line, so it is neither
        // recorded twice nor counted twice against the face-attempt limit.
        if (await history.FindVerificationAsync(this.GetPrimaryKeyString(), verificationId) is { } recorded)
        {
            return new CitizenVerificationOutcome(Repeat(request.RelyingPartyId, scope, request.Match, recorded), crossProvince);
        }

        CardRecord? card = null;
        if (request.CardId is { } cardId)
        {
            card = Citizen.Cards.Find(c => c.CardId.AsSpan().SequenceEqual(cardId));
            if (card is null)
            {
                return new CitizenVerificationOutcome(VerificationResult.Rejected(RejectionReason.UnknownCredential, now), false);
            }
        }

        var channel = card is null ? InPersonChannel : CardChannel;
        // A printed card is a credential like a phone: "lock my identity" stops it. A counter check (the physical
        // card and the person's face, in front of staff) is how a locked citizen still proves who they are.
        var reason = card switch
        {
            { Revoked: true } => RejectionReason.Revoked,
            { } c when c.ExpiresAt <= now => RejectionReason.Expired,
            not null when Citizen.Locked => RejectionReason.CitizenLocked,
            _ => null,
        };
        reason ??= request.Face is null ? RejectionReason.FaceRequired : await CheckFace(request.Face, now, channel);
        if (reason is null && request.Match is { } match && !scope.MatchAttributes.Contains(match.Attribute, StringComparer.Ordinal))
        {
            reason = RejectionReason.AttributeNotMatchable;
        }

        var at = History.UuidV7.Timestamp(verificationId);
        var result = reason is null
            ? Verified(request.RelyingPartyId, scope, request.Match, verificationId, Assurance.High, at)
            : VerificationResult.Rejected(reason, at) with { VerificationId = verificationId };
        await history.AppendAsync(new HistoryRecord(
            verificationId, at, this.GetPrimaryKeyString(), HistoryKind.Verification, card?.CardId, null, request.RelyingPartyId,
            scope.Name, result.Verified, result.Reason, (short)result.Assurance, [.. result.Attributes.Keys],
            rpProvince, crossProvince, channel, SealedRegistration: Registration(scope, request.RelyingPartyId, rpProvince, result)));
        return new CitizenVerificationOutcome(result, crossProvince);
    }

    public async Task<string?> MatchFace(FaceSample face) =>
        Citizen.Enrolled ? await CheckFace(face, clock.GetUtcNow(), InPersonChannel) : RejectionReason.UnknownCitizen;

    public async Task<CardIssueResult> IssueCard(CardIssue issue)
    {
        if (!Citizen.Enrolled)
        {
            return new CardIssueResult(ErrorCodes.CitizenNotFound, null, default);
        }

        // The citizen's live face; failures count toward the in-person limit (a card is an in-person credential).
        if (await CheckFace(issue.Face, clock.GetUtcNow(), CardChannel) is { } faceProblem)
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
        Citizen.Cards.Add(card);
        Citizen.Cards.RemoveAll(c => c.Revoked && c.ExpiresAt < now); // expired and revoked: nothing left to refuse
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

        if (ChannelPolicy.Refusal(CitizenAction.RevokeCard, revocation.Channel) is { } notAllowed)
        {
            return OperationOutcome.Fail(notAllowed);
        }

        if (FaceProblem(revocation.Face, ChannelPolicy.For(CitizenAction.RevokeCard, revocation.Channel).FaceRequired) is { } faceProblem)
        {
            return OperationOutcome.Fail(faceProblem);
        }
        var current = Citizen.Cards.Where(c => !c.Revoked).ToList();
        if (current.Count == 0)
        {
            return OperationOutcome.Fail(ErrorCodes.CardNotFound);
        }

        foreach (var card in current)
        {
            card.Revoked = true;
            Raise(HistoryKind.CardRevoked, card.CardId, Channel(revocation.Channel), revocation.Reason);
        }

        await Commit();
        return OperationOutcome.Ok;
    }

    /// <summary>
    /// An in-person face check that counts failures: past <see cref="NationalIdOptions.FaceFailureLimit"/> failures
    /// within the window, in-person attempts are refused for the lockout period and the citizen's phones hear of it.
    /// </summary>
    private async Task<string?> CheckFace(FaceSample face, DateTimeOffset now, string channel)
    {
        // Remote attempts (a phone binding itself or granting a mandate) keep a count of their own: someone who only
        // knows an ID number can then lock remote binding for a while, never the citizen's counter service.
        var remote = channel is RemoteChannel;
        var counter = remote
            ? new FaceCounter(Citizen.RemoteFaceFailures, Citizen.RemoteFaceLockedUntil)
            : new FaceCounter(Citizen.FaceFailures, Citizen.FaceLockedUntil);
        var attempt = FaceRules.Attempt(counter, Citizen.FaceTemplate, face, now, _facePolicy);
        if (!attempt.Changed)
        {
            return attempt.Refusal;
        }

        if (remote)
        {
            (Citizen.RemoteFaceFailures, Citizen.RemoteFaceLockedUntil) = ([.. attempt.Counter.Failures], attempt.Counter.LockedUntil);
        }
        else
        {
            (Citizen.FaceFailures, Citizen.FaceLockedUntil) = ([.. attempt.Counter.Failures], attempt.Counter.LockedUntil);
        }

        if (attempt.LockedNow && Citizen.Enrolled)
        {
            Raise(HistoryKind.FaceAttemptsExceeded, null, channel, null); // nobody's history for a number nobody enrolled
        }

        await Commit();
        return attempt.Refusal;
    }

    private VerificationResult Repeat(string relyingPartyId, ScopePolicy scope, MatchRequest? match, HistoryRecord recorded) =>
        VerificationAnswers.Repeat(Citizen, relyingPartyId, scope, match, recorded);
}
