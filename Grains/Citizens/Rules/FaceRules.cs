using NationalId.Errors;

namespace NationalId.Citizens.Rules;

/// <summary>The face settings every face decision uses (from <see cref="NationalIdOptions"/>).</summary>
public sealed record FacePolicy(double MinimumLiveness, double MatchThreshold, int FailureLimit, TimeSpan FailureWindow, TimeSpan Lockout)
{
    public static FacePolicy From(NationalIdOptions options) => new(
        options.MinimumLiveness, options.FaceMatchThreshold, options.FaceFailureLimit, options.FaceFailureWindow, options.FaceFailureLockout);
}

/// <summary>One failure counter (in person, or remote): recent failures and the lockout, as stored in citizen state.</summary>
public sealed record FaceCounter(IReadOnlyList<DateTimeOffset> Failures, DateTimeOffset? LockedUntil);

/// <summary>
/// What a counted face attempt decided: the refusal (null: the face matched), the counter to store when
/// <see cref="Changed"/>, and whether this attempt started a lockout (the citizen's phones are told).
/// </summary>
public sealed record FaceAttempt(string? Refusal, FaceCounter Counter, bool Changed, bool LockedNow);

/// <summary>
/// Face decisions, pure: no grain, no clock, no storage (time and settings come in). A check that counts failures
/// (<see cref="Attempt"/>: counters, printed cards, guardians, remote binding and mandates from a phone) and one that
/// does not (<see cref="Check"/>: a face that confirms an action whose caller is already authenticated).
/// </summary>
public static class FaceRules
{
    /// <summary>Null when no face is needed and none given, or when the given face is live and matches.</summary>
    public static string? Check(ReadOnlySpan<byte> enrolledTemplate, FaceSample? face, bool required, FacePolicy policy)
    {
        if (face is null)
        {
            return required ? RejectionReason.FaceRequired : null;
        }

        if (!(face.Liveness >= policy.MinimumLiveness)) // NaN is not live
        {
            return RejectionReason.LivenessInsufficient;
        }

        return FaceMatcher.Matches(enrolledTemplate, face, policy.MatchThreshold) ? null : RejectionReason.FaceMismatch;
    }

    /// <summary>
    /// A counted attempt: refused while locked out; a face that is not live is refused uncounted; a mismatch is counted
    /// within the window, and the failure that reaches the limit starts the lockout (and clears the count).
    /// </summary>
    public static FaceAttempt Attempt(FaceCounter counter, ReadOnlySpan<byte> enrolledTemplate, FaceSample face, DateTimeOffset now, FacePolicy policy)
    {
        if (counter.LockedUntil is { } until && until > now)
        {
            return new FaceAttempt(RejectionReason.FaceAttemptsExceeded, counter, false, false);
        }

        if (!(face.Liveness >= policy.MinimumLiveness))
        {
            return new FaceAttempt(RejectionReason.LivenessInsufficient, counter, false, false);
        }

        if (FaceMatcher.Matches(enrolledTemplate, face, policy.MatchThreshold))
        {
            return new FaceAttempt(null, counter, false, false);
        }

        var failures = counter.Failures.Where(t => t > now - policy.FailureWindow).Append(now).ToList();
        return failures.Count >= policy.FailureLimit
            ? new FaceAttempt(RejectionReason.FaceMismatch, new FaceCounter([], now + policy.Lockout), true, true)
            : new FaceAttempt(RejectionReason.FaceMismatch, new FaceCounter(failures, counter.LockedUntil), true, false);
    }
}
