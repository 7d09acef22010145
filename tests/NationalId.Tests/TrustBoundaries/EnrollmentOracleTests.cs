using NationalId.Client.Faces;
using NationalId.Tests.EndToEnd;
using NationalId.Tests.Support;

namespace NationalId.Tests.TrustBoundaries;

/// <summary>
/// A phone granting a mandate learns whether its delegate is enrolled only after its owner's face matched: without a
/// face, or with a wrong one, an enrolled and an unknown delegate get the same answer (and the wrong faces count
/// toward the remote face limit either way). Before, "face": null answered face_required for an enrolled delegate and
/// delegate_not_found otherwise, unlimited and unrecorded.
/// </summary>
[Collection(GatewayCollection.Name)]
public class EnrollmentOracleTests(GatewayFixture gateway)
{
    [Fact]
    public async Task A_phones_mandate_grant_answers_the_same_for_enrolled_and_unknown_delegates_until_the_face_matched()
    {
        using var story = new Story(gateway);
        var (principalId, principalFace) = await story.EnrollAsync();
        var (enrolled, _) = await story.EnrollAsync();
        var unknown = TestIdentities.Next();
        using var phone = await story.ActivateAsync(principalId, principalFace);

        foreach (var face in new[] { null, FaceVectors.Live(FaceVectors.Person(Random.Shared.Next())) })
        {
            using var toEnrolled = await phone.GrantMandateAsync(story.Http, enrolled.Value, ["rail.gate"], face);
            using var toUnknown = await phone.GrantMandateAsync(story.Http, unknown.Value, ["rail.gate"], face);
            Assert.Equal(toEnrolled.StatusCode, toUnknown.StatusCode);
            var (codeEnrolled, codeUnknown) = (await Story.ErrorCodeAsync(toEnrolled), await Story.ErrorCodeAsync(toUnknown));
            Assert.Equal(codeEnrolled, codeUnknown);
            Assert.Equal(face is null ? "face_required" : "face_mismatch", codeUnknown);
        }

        using var matched = await phone.GrantMandateAsync(story.Http, unknown.Value, ["rail.gate"], FaceVectors.Live(FaceVectors.Capture(principalFace, 9)));
        Assert.Equal("delegate_not_found", await Story.ErrorCodeAsync(matched)); // told to the citizen, after their face
    }
}
