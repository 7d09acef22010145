using System.Text;
using System.Text.Json;
using NationalId.Api;
using NationalId.Client.Load;

namespace NationalId.Client.Import;

/// <summary>
/// A register line read from a file: the line as the JSON object sent (UTF-8, its <c>line</c> member first), or why the
/// tool could not read it (rejected locally).
/// </summary>
public sealed record SourceLine(long Number, byte[]? Json, string? Problem);

/// <summary>
/// Population-register files: JSON lines (one object per line: <c>idNumber</c>, <c>name</c>, <c>sex</c>,
/// <c>birthDate</c>, <c>face</c> as base64 of 128 float32 little-endian values or an array of 128 numbers, optional
/// <c>residenceProvince</c>) or CSV with the header <c>id_number,name,sex,birth_date,face,residence_province</c>
/// (RFC 4180 quoting; the face as base64). Line numbers are the file's own, from 1 (a CSV header is line 1). Blank
/// lines are skipped. Also a synthetic register for load tests, the same people <c>nid seed</c> makes.
/// </summary>
public static class RegisterSource
{
    public static readonly string[] CsvHeader = ["id_number", "name", "sex", "birth_date", "face", "residence_province"];

    public static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>How many lines the file has (for the progress bar's ETA).</summary>
    public static long CountLines(string path)
    {
        long count = 0;
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            count += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return count;
    }

    public static IEnumerable<SourceLine> Read(string path)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: false));
        var csv = IsCsv(path);
        long number = 0;
        while (reader.ReadLine() is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (csv && number == 1)
            {
                if (!ParseCsv(text, out var header) || !header.SequenceEqual(CsvHeader, StringComparer.OrdinalIgnoreCase))
                {
                    throw new InvalidDataException($"{path}: the first line must be the header {string.Join(',', CsvHeader)}.");
                }

                continue;
            }

            yield return csv ? FromCsv(number, text) : FromJson(number, text);
        }
    }

    /// <summary>The planned citizens of <paramref name="plan"/> as register lines (index + 1 is the line number).</summary>
    public static IEnumerable<SourceLine> Synthetic(PopulationPlan plan, int count) =>
        plan.Citizens(count).Select(c => new SourceLine(c.Index + 1, JsonSerializer.SerializeToUtf8Bytes(new RegisterLine(
            c.Index + 1, c.IdNumber.Value, $"Citizen {c.Index}", c.IdNumber.Sex, c.IdNumber.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            RegisterLine.EncodeFace(PopulationSeeder.FaceOf(c)), c.ResidenceProvince), ApiClientJson.Options), null));

    private static SourceLine FromJson(long number, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new SourceLine(number, null, Errors.ErrorCodes.MalformedLine);
            }

            // The file's own line number is what is reported, whatever the line says; the other members go as they are.
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(text.Length + 32);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("line", number);
                foreach (var member in document.RootElement.EnumerateObject().Where(p => p.Name != "line"))
                {
                    member.WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            return new SourceLine(number, buffer.WrittenSpan.ToArray(), null);
        }
        catch (JsonException)
        {
            return new SourceLine(number, null, Errors.ErrorCodes.MalformedLine);
        }
    }

    private static SourceLine FromCsv(long number, string text)
    {
        if (!ParseCsv(text, out var fields) || fields.Count is < 5 or > 6)
        {
            return new SourceLine(number, null, Errors.ErrorCodes.MalformedLine);
        }

        var line = new RegisterLine(number, fields[0], fields[1], fields[2], fields[3], fields[4], fields.Count == 6 && fields[5].Length > 0 ? fields[5] : null);
        return new SourceLine(number, JsonSerializer.SerializeToUtf8Bytes(line, ApiClientJson.Options), null);
    }

    /// <summary>One CSV record on one line (RFC 4180: fields in double quotes may hold commas and doubled quotes).</summary>
    private static bool ParseCsv(string text, out List<string> fields)
    {
        fields = [];
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return !quoted;
    }
}
