using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using NationalId.Api;
using NationalId.Errors;
using NationalId.IdNumbers;

namespace NationalId.Citizens.Rules;

/// <summary>A register line that passed every check: ready to be enrolled.</summary>
public sealed record RegisterCitizen(long Line, ResidentIdNumber IdNumber, string Name, FaceSample Face, string? ResidenceProvince)
{
    public override string ToString() => $"RegisterCitizen(line {Line}, redacted)";
}

/// <summary>
/// Reads population-register lines for the bulk import with the enrollment API's checks (ID number, name, face,
/// province), plus what only a register line has: its sex and birth date must be what the ID number says. Pure.
/// </summary>
public static class RegisterLines
{
    /// <summary>Most lines one import request may carry.</summary>
    public const int MaxPerBatch = 5000;

    /// <summary>The liveness a register's reference template is taken with: it was captured in person at issue.</summary>
    public const double ReferenceLiveness = 1.0;

    /// <summary>
    /// The line's number (0 when it cannot be read) and either the citizen or the code of what is wrong;
    /// <paramref name="today"/> bounds birth dates (read once per batch).
    /// </summary>
    public static (long Line, RegisterCitizen? Citizen, string? Error) Read(JsonElement line, DateOnly today)
    {
        if (line.ValueKind != JsonValueKind.Object)
        {
            return (0, null, ErrorCodes.MalformedLine);
        }

        var number = line.TryGetProperty("line", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt64(out var parsed) && parsed > 0 ? parsed : 0;
        if (number == 0)
        {
            return (0, null, ErrorCodes.MalformedLine);
        }

        string? Text(string name) => line.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        bool Malformed(string name) => line.TryGetProperty(name, out var v) && v.ValueKind is not (JsonValueKind.String or JsonValueKind.Null);
        if (Malformed("idNumber") || Malformed("name") || Malformed("sex") || Malformed("birthDate") || Malformed("residenceProvince"))
        {
            return (number, null, ErrorCodes.MalformedLine);
        }

        var error = Check(Text("idNumber"), Text("name"), Text("sex"), Text("birthDate"), Text("residenceProvince"), today, out var idNumber);
        if (error is not null)
        {
            return (number, null, error);
        }

        var face = line.TryGetProperty("face", out var f) ? Template(f) : null;
        var sample = new FaceSample(face!, ReferenceLiveness);
        if (face is null || sample.Problem() is not null)
        {
            return (number, null, ErrorCodes.FaceTemplateInvalid);
        }

        return (number, new RegisterCitizen(number, idNumber!, Text("name")!.Trim(), sample, Text("residenceProvince")), null);
    }

    private static string? Check(string? id, string? name, string? sex, string? birthDate, string? residence, DateOnly today, out ResidentIdNumber? idNumber)
    {
        if (!ResidentIdNumber.TryParse(id, today, out idNumber, out _))
        {
            return ErrorCodes.InvalidIdNumber;
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return ErrorCodes.InvalidName;
        }

        if (!FreeText.IsValid(name, FreeText.MaxName))
        {
            return ErrorCodes.InvalidText;
        }

        if (sex != idNumber!.Sex
            || !DateOnly.TryParseExact(birthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born)
            || born != idNumber.BirthDate)
        {
            return ErrorCodes.RegisterMismatch;
        }

        return residence is not null && !Province.IsKnown(residence) ? ErrorCodes.InvalidProvince : null;
    }

    /// <summary>A template from base64 of 128 float32 little-endian values, or from a JSON array of 128 numbers.</summary>
    private static float[]? Template(JsonElement face)
    {
        if (face.ValueKind == JsonValueKind.String)
        {
            var bytes = new byte[FaceSample.Dimension * sizeof(float)];
            if (!Convert.TryFromBase64String(face.GetString()!, bytes, out var written) || written != bytes.Length)
            {
                return null;
            }

            var values = new float[FaceSample.Dimension];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            }

            return values;
        }

        if (face.ValueKind != JsonValueKind.Array || face.GetArrayLength() != FaceSample.Dimension)
        {
            return null;
        }

        var template = new float[FaceSample.Dimension];
        var k = 0;
        foreach (var v in face.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d))
            {
                return null;
            }

            template[k++] = (float)d;
        }

        return template;
    }
}
