using NationalId.Capture;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.History;

namespace NationalId.Citizens;

/// <summary>
/// A citizen's counted face attempts: each one is decided by <see cref="FaceRules.Attempt"/>, its failure counter
/// stored (with the lockout event when one starts) before the answer, and a remote attempt must come with a capture a
/// certified SDK attested for a fresh challenge, used once. In-person attempts (a counter, a printed card, a guardian)
/// and remote ones (a phone binding itself or granting a mandate) keep separate counters: someone who only knows an
/// ID number can lock remote binding for a while, never the citizen's counter service.
/// </summary>
internal sealed class FaceAttempts(Func<CitizenState> citizen, CitizenOutbox outbox, CaptureVerifier captures, FacePolicy policy, NationalIdOptions options)
{
    public const string InPerson = "in_person";
    public const string Card = "printed_card";
    public const string Remote = "remote_face";

    /// <summary>A counted attempt through this channel: null when the face is live and matches, else the refusal.</summary>
    public async Task<string?> Check(FaceSample face, DateTimeOffset now, string channel)
    {
        var state = citizen();
        var remote = channel is Remote;
        var attempt = FaceRules.Attempt(state.FaceCounter(remote), state.FaceTemplate, face, now, policy);
        if (!attempt.Changed)
        {
            return attempt.Refusal;
        }

        state.SetFaceCounter(remote, attempt.Counter);
        if (attempt.LockedNow && state.Enrolled)
        {
            outbox.Raise(HistoryKind.FaceAttemptsExceeded, null, channel, null); // nobody's history for a number nobody enrolled
        }

        await outbox.Commit();
        return attempt.Refusal;
    }

    /// <summary>
    /// A phone's remote face: refused as not attested unless a registered vendor attested the capture for this key and
    /// a challenge this citizen has not used (nor holds too many of); then counted. The challenge is marked used exactly
    /// when the attempt is stored: with the failure count of a mismatch, or with the binding that follows a match
    /// (<see cref="Unmark"/> when none follows). An attempt that stores nothing (lockout, liveness too low) leaves no
    /// mark, for an enrolled citizen as for an unknown number (whose grain is dropped after every call), so the same
    /// request again gets the same answer from both.
    /// </summary>
    public async Task<(string? Refusal, UsedChallenge? Mark)> CheckRemote(DeviceActivation activation, DateTimeOffset now)
    {
        var state = citizen();
        if (await captures.Check(activation.Face!, activation.Capture, activation.DevicePublicKey, now) is not { } expiresAt)
        {
            return (Errors.ErrorCodes.CaptureNotAttested, null);
        }

        var id = CaptureVerifier.ChallengeId(activation.Capture!.Challenge);
        if (!ActivationRules.ChallengeUsable(state.UsedCaptureChallenges, id, now, options.PresentationClockSkew))
        {
            return (Errors.ErrorCodes.CaptureNotAttested, null);
        }

        var mark = new UsedChallenge { Id = id, ExpiresAt = expiresAt };
        state.UsedCaptureChallenges.Add(mark);
        var problem = await Check(activation.Face!, now, Remote);
        if (problem is not null && problem != RejectionReason.FaceMismatch)
        {
            state.UsedCaptureChallenges.Remove(mark);
        }

        return (problem, mark);
    }

    /// <summary>Takes back the mark of a matched attempt that stores nothing after all (a locked identity, the device limit).</summary>
    public void Unmark(UsedChallenge? mark)
    {
        if (mark is not null)
        {
            citizen().UsedCaptureChallenges.Remove(mark);
        }
    }
}
