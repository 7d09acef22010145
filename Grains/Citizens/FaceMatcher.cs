namespace NationalId.Citizens;

/// <summary>Compares face templates by cosine similarity. The service runs no face model; the terminal's SDK does.</summary>
public static class FaceMatcher
{
    public static byte[] Pack(float[] template)
    {
        var bytes = new byte[template.Length * sizeof(float)];
        Buffer.BlockCopy(template, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    public static double CosineSimilarity(ReadOnlySpan<byte> enrolledPacked, ReadOnlySpan<float> probe)
    {
        var enrolled = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(enrolledPacked);
        if (enrolled.Length != probe.Length || enrolled.Length == 0)
        {
            return 0;
        }

        double dot = 0, a = 0, b = 0;
        for (var i = 0; i < enrolled.Length; i++)
        {
            dot += enrolled[i] * (double)probe[i];
            a += enrolled[i] * (double)enrolled[i];
            b += probe[i] * (double)probe[i];
        }

        return a <= 0 || b <= 0 ? 0 : dot / Math.Sqrt(a * b);
    }
}
