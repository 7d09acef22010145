using System.Security.Cryptography;
using NationalId.Citizens;
using NationalId.Client.Faces;
using NationalId.Errors;
using NationalId.Protocol;
using NationalId.Tests.Support;

namespace NationalId.Tests.TrustBoundaries;

/// <summary>
/// Remote phone binding with a face that does not match is answered, worked and locked out the same way for an
/// enrolled and for an unknown ID number: the same codes, a stored failure count for both (so the same storage write,
/// and a lockout that survives the grain's collection), the same fixed lockout period. Before, an unknown number's
/// failures lived in memory only, slid over 15 minutes and were forgotten when its grain was collected.
/// </summary>
public sealed class RemoteLockoutTests : IAsyncLifetime
{
    private StoredStateCluster _stored = null!;

    public async Task InitializeAsync() => _stored = await StoredStateCluster.StartAsync();

    public async Task DisposeAsync() => await _stored.DisposeAsync();

    private DeviceActivation Attempt(int person)
    {
        using var phone = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return TestCaptures.Attested(_stored.Silo, PresentationCodec.EncodePoint(phone.ExportParameters(false).Q), new FaceSample(FaceVectors.Person(person), 0.99));
    }

    private async Task<List<string?>> GuessesAsync(ICitizenGrain grain, int count)
    {
        var answers = new List<string?>();
        for (var i = 0; i < count; i++)
        {
            answers.Add((await grain.Activate(Attempt(900 + i))).Error);
        }

        return answers;
    }

    [Fact]
    public async Task An_unknown_and_an_enrolled_number_are_locked_out_alike_and_both_lockouts_are_stored()
    {
        var handles = new CitizenHandles(TestIdentities.NewSecret());
        var enrolledId = TestIdentities.Next();
        var enrolled = _stored.Grains.GetGrain<ICitizenGrain>(handles.For(enrolledId));
        Assert.True((await enrolled.Enroll(new CitizenEnrollment(enrolledId.Value, "Xu Fang", new FaceSample(FaceVectors.Person(1), 0.99), null))).Succeeded);
        var unknown = _stored.Grains.GetGrain<ICitizenGrain>(handles.For(TestIdentities.Next()));

        var fromEnrolled = await GuessesAsync(enrolled, 5);
        var fromUnknown = await GuessesAsync(unknown, 5);
        Assert.Equal(fromEnrolled, fromUnknown);
        Assert.Equal([.. Enumerable.Repeat(RejectionReason.FaceMismatch, 5)], fromUnknown);

        // The lockouts are in stored state: collected and read again, both grains still refuse.
        await _stored.DeactivateAllAsync();
        Assert.Equal(RejectionReason.FaceAttemptsExceeded, (await enrolled.Activate(Attempt(1))).Error);
        Assert.Equal(RejectionReason.FaceAttemptsExceeded, (await unknown.Activate(Attempt(1))).Error);

        // And both end together, after the same fixed period.
        _stored.Clock.Advance(new NationalIdOptions().FaceFailureLockout + TimeSpan.FromSeconds(1));
        Assert.Equal(RejectionReason.FaceMismatch, (await enrolled.Activate(Attempt(2))).Error);
        Assert.Equal(RejectionReason.FaceMismatch, (await unknown.Activate(Attempt(2))).Error);
        Assert.False((await unknown.GetSummary()).Enrolled);
    }
}
