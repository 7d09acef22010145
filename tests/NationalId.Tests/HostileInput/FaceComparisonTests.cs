using CsCheck;
using NationalId.Citizens;
using NationalId.Citizens.Rules;
using NationalId.Client.Faces;

namespace NationalId.Tests.HostileInput;

/// <summary>
/// The one face comparison fails closed: no template, however made, turns a stranger's face into a match. Before,
/// an enrolled component beyond half precision (1e5) packed to infinity, the cosine was NaN, and NaN &lt; threshold
/// was false: any face passed.
/// </summary>
public class FaceComparisonTests
{
    private const double Threshold = 0.8;

    [Fact]
    public void A_template_with_a_component_beyond_half_precision_is_refused_at_the_edge()
    {
        var template = FaceVectors.Person(1);
        template[3] = 1e5f;
        Assert.Equal("face_template_invalid", new FaceSample(template, 0.99).Problem());
    }

    [Fact]
    public void A_stored_template_that_cannot_be_compared_matches_nobody()
    {
        // As a row written before the check would hold it: one half-precision infinity.
        var enrolled = FaceMatcher.Pack(FaceVectors.Person(2));
        enrolled[6] = 0x00;
        enrolled[7] = 0x7C; // +infinity in IEEE half precision
        var stranger = new FaceSample(FaceVectors.Person(3), 0.99);
        var owner = new FaceSample(FaceVectors.Capture(FaceVectors.Person(2), 1), 0.99);
        Assert.False(FaceMatcher.Matches(enrolled, stranger, Threshold));
        Assert.False(FaceMatcher.Matches(enrolled, owner, Threshold));
        Assert.True(double.IsNaN(FaceMatcher.CosineSimilarity(enrolled, stranger.Template)));
    }

    [Fact]
    public void Enrolled_templates_of_any_valid_scale_pack_finite_and_still_match_their_owner()
    {
        Gen.Select(Gen.Int[0, 10_000], Gen.Float[1e-3f, 60_000f]).Sample((person, scale) =>
        {
            var template = FaceVectors.Person(person).Select(v => v * scale).ToArray();
            var largest = template.Max(Math.Abs);
            if (largest > FaceSample.MaxComponent)
            {
                return new FaceSample(template, 0.99).Problem() == "face_template_invalid";
            }

            var packed = FaceMatcher.Pack(template);
            return FaceMatcher.Matches(packed, new FaceSample(FaceVectors.Capture(FaceVectors.Person(person), 7), 0.99), Threshold)
                && !FaceMatcher.Matches(packed, new FaceSample(FaceVectors.Person(person + 1), 0.99), Threshold);
        }, iter: 2_000);
    }

    [Fact]
    public void Probes_that_are_not_finite_or_not_live_never_match()
    {
        var enrolled = FaceMatcher.Pack(FaceVectors.Person(5));
        var live = FaceVectors.Capture(FaceVectors.Person(5), 1);
        Gen.OneOf(Gen.Const(float.NaN), Gen.Const(float.PositiveInfinity), Gen.Const(float.NegativeInfinity), Gen.Const(1e30f)).Select(Gen.Int[0, 127])
            .Sample((bad, at) =>
            {
                var probe = live.ToArray();
                probe[at] = bad;
                return !FaceMatcher.Matches(enrolled, new FaceSample(probe, 0.99), Threshold);
            }, iter: 1_000);
        Assert.False(FaceMatcher.Matches(enrolled, new FaceSample(live, double.NaN), Threshold));
        Assert.False(FaceMatcher.Matches(enrolled, new FaceSample(live, 0.99), double.NaN));
        Assert.True(FaceMatcher.Matches(enrolled, new FaceSample(live, 0.99), Threshold));
    }
}
