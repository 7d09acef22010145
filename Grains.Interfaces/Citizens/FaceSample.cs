using NationalId.Errors;
namespace NationalId.Citizens;

/// <summary>
/// A face template produced by a terminal's certified capture SDK, with its liveness score in [0, 1].
/// Biometric data: never returned by any API, never logged.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.FaceSample")]
public sealed record FaceSample([property: Id(0)] float[] Template, [property: Id(1)] double Liveness)
{
    /// <summary>Template length every capture SDK must produce.</summary>
    public const int Dimension = 128;

    /// <summary>
    /// Largest magnitude of a component: what half precision (how enrolled templates are stored) can represent. A
    /// larger value would be stored as infinity and make every comparison undecidable.
    /// </summary>
    public const float MaxComponent = 65504f;

    /// <summary>Why the sample cannot be used at all, or null when it is well formed.</summary>
    public string? Problem()
    {
        if (Template is null || Template.Length != Dimension)
        {
            return ErrorCodes.FaceTemplateInvalid;
        }

        double norm = 0;
        foreach (var v in Template)
        {
            if (!float.IsFinite(v) || Math.Abs(v) > MaxComponent)
            {
                return ErrorCodes.FaceTemplateInvalid;
            }

            norm += v * (double)v;
        }

        if (norm < 1e-12)
        {
            return ErrorCodes.FaceTemplateInvalid;
        }

        return double.IsFinite(Liveness) && Liveness is >= 0 and <= 1 ? null : ErrorCodes.FaceLivenessInvalid;
    }

    public override string ToString() => "FaceSample(redacted)";
}
