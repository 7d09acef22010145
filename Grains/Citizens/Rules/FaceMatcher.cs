namespace NationalId.Citizens.Rules;

/// <summary>
/// Compares face templates by cosine similarity. The service runs no face model; the terminal's SDK does. Enrolled
/// templates are kept as half-precision floats (256 bytes for 128 values instead of 512): a cosine of 0.80 against
/// a threshold needs nowhere near single precision, and the grain stays small. Older single-precision templates (512
/// bytes) are still read.
/// </summary>
/// <remarks>
/// Every path that compares a face (QR with face, unlock, resume, counter actions, mandates, cards) asks
/// <see cref="Matches"/>: one comparison, and one that fails closed. A similarity that is not a finite number
/// (a stored template holding infinities, a probe nobody validated) is a mismatch, never a pass: <c>NaN &lt; t</c> is
/// false, so "refuse when below the threshold" would have let NaN through.
/// </remarks>
public static class FaceMatcher
{
    /// <summary>
    /// Packs a template for storage: normalised to unit length first (cosine similarity does not depend on length),
    /// so every component lies in [-1, 1], well inside half precision, whatever scale the capture SDK used.
    /// </summary>
    public static byte[] Pack(float[] template)
    {
        double norm = 0;
        foreach (var v in template)
        {
            norm += v * (double)v;
        }

        norm = Math.Sqrt(norm);
        if (!double.IsFinite(norm) || norm <= 0)
        {
            throw new ArgumentException("A face template must be finite and not all zero.", nameof(template));
        }

        var bytes = new byte[template.Length * 2];
        var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes.AsSpan());
        for (var i = 0; i < template.Length; i++)
        {
            halves[i] = (Half)(template[i] / norm);
        }

        return bytes;
    }

    /// <summary>
    /// True only when the probe is well formed and its similarity with the enrolled template is a finite number at or
    /// above the threshold. Anything that cannot be decided is a mismatch.
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> enrolledPacked, FaceSample probe, double threshold)
    {
        if (probe.Problem() is not null || !double.IsFinite(threshold))
        {
            return false;
        }

        var similarity = CosineSimilarity(enrolledPacked, probe.Template);
        return double.IsFinite(similarity) && similarity >= threshold;
    }

    /// <summary>The cosine of the two templates; NaN when it cannot be computed (empty, mismatched or non-finite).</summary>
    public static double CosineSimilarity(ReadOnlySpan<byte> enrolledPacked, ReadOnlySpan<float> probe)
    {
        if (probe.Length == 0)
        {
            return double.NaN;
        }

        double dot = 0, a = 0, b = 0;
        if (enrolledPacked.Length == probe.Length * 2)
        {
            var enrolled = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(enrolledPacked);
            for (var i = 0; i < enrolled.Length; i++)
            {
                var e = (double)enrolled[i];
                dot += e * probe[i];
                a += e * e;
                b += probe[i] * (double)probe[i];
            }
        }
        else if (enrolledPacked.Length == probe.Length * 4)
        {
            var enrolled = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(enrolledPacked);
            for (var i = 0; i < enrolled.Length; i++)
            {
                dot += enrolled[i] * (double)probe[i];
                a += enrolled[i] * (double)enrolled[i];
                b += probe[i] * (double)probe[i];
            }
        }
        else
        {
            return double.NaN;
        }

        var cosine = dot / Math.Sqrt(a * b);
        return double.IsFinite(cosine) && a > 0 && b > 0 ? cosine : double.NaN;
    }
}
