using NationalId.Citizens;
using NationalId.Citizens.Rules;
using NationalId.Client.Faces;
using NationalId.Errors;

namespace NationalId.Tests.Citizens.Rules;

/// <summary>The face rules alone: no grain, no storage, the clock passed in.</summary>
public class FaceRulesTests
{
    private static readonly FacePolicy Policy = FacePolicy.From(new NationalIdOptions());
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly float[] Person = FaceVectors.Person(42);
    private static readonly byte[] Enrolled = FaceMatcher.Pack(Person);

    private static FaceSample Live(float[] template, double liveness = 0.99) => new(template, liveness);

    [Fact]
    public void A_live_matching_face_passes_and_changes_no_counter()
    {
        var counter = new FaceCounter([Now.AddMinutes(-1)], null);
        var attempt = FaceRules.Attempt(counter, Enrolled, Live(FaceVectors.Capture(Person, 1)), Now, Policy);
        Assert.Null(attempt.Refusal);
        Assert.False(attempt.Changed);
        Assert.Same(counter, attempt.Counter);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.89)]
    [InlineData(double.NaN)]
    public void A_face_that_is_not_live_enough_is_refused_uncounted(double liveness)
    {
        var attempt = FaceRules.Attempt(new FaceCounter([], null), Enrolled, Live(FaceVectors.Capture(Person, 1), liveness), Now, Policy);
        Assert.Equal(RejectionReason.LivenessInsufficient, attempt.Refusal);
        Assert.False(attempt.Changed);
    }

    [Fact]
    public void The_failure_that_reaches_the_limit_starts_the_lockout_and_clears_the_count()
    {
        var counter = new FaceCounter([], null);
        for (var i = 1; i < Policy.FailureLimit; i++)
        {
            var miss = FaceRules.Attempt(counter, Enrolled, Live(FaceVectors.Person(1000 + i)), Now.AddSeconds(i), Policy);
            Assert.Equal(RejectionReason.FaceMismatch, miss.Refusal);
            Assert.True(miss.Changed);
            Assert.False(miss.LockedNow);
            Assert.Equal(i, miss.Counter.Failures.Count);
            counter = miss.Counter;
        }

        var last = FaceRules.Attempt(counter, Enrolled, Live(FaceVectors.Person(999)), Now.AddMinutes(1), Policy);
        Assert.True(last.LockedNow);
        Assert.Empty(last.Counter.Failures);
        Assert.Equal(Now.AddMinutes(1) + Policy.Lockout, last.Counter.LockedUntil);

        // Locked: even the right face is refused, until the lockout ends.
        var during = FaceRules.Attempt(last.Counter, Enrolled, Live(FaceVectors.Capture(Person, 2)), Now.AddMinutes(2), Policy);
        Assert.Equal(RejectionReason.FaceAttemptsExceeded, during.Refusal);
        Assert.False(during.Changed);
        var after = FaceRules.Attempt(last.Counter, Enrolled, Live(FaceVectors.Capture(Person, 2)), Now.AddMinutes(1) + Policy.Lockout + TimeSpan.FromSeconds(1), Policy);
        Assert.Null(after.Refusal);
    }

    [Fact]
    public void Failures_older_than_the_window_no_longer_count()
    {
        var old = Enumerable.Range(0, Policy.FailureLimit - 1).Select(i => Now - Policy.FailureWindow - TimeSpan.FromSeconds(i)).ToList();
        var attempt = FaceRules.Attempt(new FaceCounter(old, null), Enrolled, Live(FaceVectors.Person(7)), Now, Policy);
        Assert.False(attempt.LockedNow);
        Assert.Equal([Now], attempt.Counter.Failures);
    }

    [Fact]
    public void The_uncounted_check_needs_a_face_only_when_asked_to()
    {
        Assert.Null(FaceRules.Check(Enrolled, null, required: false, Policy));
        Assert.Equal(RejectionReason.FaceRequired, FaceRules.Check(Enrolled, null, required: true, Policy));
        Assert.Equal(RejectionReason.FaceMismatch, FaceRules.Check(Enrolled, Live(FaceVectors.Person(3)), required: false, Policy));
        Assert.Null(FaceRules.Check(Enrolled, Live(FaceVectors.Capture(Person, 4)), required: true, Policy));
    }
}
