namespace NationalId.Citizens;

/// <summary>
/// Compares face templates by cosine similarity. The service runs no face model; the terminal's SDK does. Enrolled
/// templates are kept as half-precision floats (256 bytes for 128 values instead of 512): a cosine of 0.80 against
/// a threshold needs nowhere near single precision, and the grain stays small. Older single-precision templates (512
/// bytes) are still read.
/// </summary>
public static class FaceMatcher
{
    public static byte[] Pack(float[] template)
    {
        var bytes = new byte[template.Length * 2];
        var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(bytes.AsSpan());
        for (var i = 0; i < template.Length; i++)
        {
            halves[i] = (Half)template[i];
        }

        return bytes;
    }

    public static double CosineSimilarity(ReadOnlySpan<byte> enrolledPacked, ReadOnlySpan<float> probe)
    {
        if (probe.Length == 0)
        {
            return 0;
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
            return 0;
        }

        return a <= 0 || b <= 0 ? 0 : dot / Math.Sqrt(a * b);
    }
}
