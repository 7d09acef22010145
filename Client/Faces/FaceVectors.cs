using NationalId.Api;
using NationalId.Citizens;

namespace NationalId.Client.Faces;

/// <summary>
/// Stand-in face templates for demos and tests: the service runs no face model, so a "person" is a random unit
/// vector and a fresh capture of the same person is that vector plus small noise.
/// </summary>
public static class FaceVectors
{
    public static float[] Person(int seed)
    {
        var random = new Random(seed);
        var v = new float[FaceSample.Dimension];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return Normalize(v);
    }

    /// <summary>Another capture of the same face: noise of the given size per component, then normalized.</summary>
    public static float[] Capture(float[] person, int seed, double noise = 0.02)
    {
        var random = new Random(seed);
        var v = new float[person.Length];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = person[i] + (float)(((random.NextDouble() * 2) - 1) * noise);
        }

        return Normalize(v);
    }

    public static FaceInput Live(float[] template, double liveness = 0.98) => new(template, liveness);

    private static float[] Normalize(float[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => (double)x * x));
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = (float)(v[i] / norm);
        }

        return v;
    }
}
