using System.Text.Json;

namespace NationalId.Api;

/// <summary>
/// Operator: a batch of population-register lines to enroll in bulk. Each line is a JSON object of its own
/// (<c>line</c>, <c>idNumber</c>, <c>name</c>, <c>sex</c>, <c>birthDate</c>, <c>face</c>, optional <c>residenceProvince</c>),
/// read one by one, so that one bad line is reported by its number and never spoils the batch.
/// </summary>
public sealed record CitizenImportRequest(IReadOnlyList<JsonElement>? Lines);

/// <summary>
/// What became of a batch: imported now, already enrolled before (idempotent), rejected with a code by line number,
/// and lines whose shard could not be written (send them again; nothing of them was stored).
/// </summary>
public sealed record CitizenImportResponse(int Imported, int AlreadyEnrolled, IReadOnlyList<ImportRejection> Rejected, IReadOnlyList<long> Unavailable);

public sealed record ImportRejection(long Line, string Code);

/// <summary>
/// One register line as the <c>nid</c> tool sends it: <paramref name="Face"/> is the template as base64 of 128 float32
/// little-endian values (512 bytes); the server also takes a JSON array of 128 numbers.
/// </summary>
public sealed record RegisterLine(long Line, string? IdNumber, string? Name, string? Sex, string? BirthDate, string? Face, string? ResidenceProvince = null)
{
    /// <summary>The base64 form of a template (what <see cref="Face"/> carries).</summary>
    public static string EncodeFace(float[] template)
    {
        var bytes = new byte[template.Length * sizeof(float)];
        for (var i = 0; i < template.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), template[i]);
        }

        return Convert.ToBase64String(bytes);
    }
}
