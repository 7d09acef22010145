using System.Text.Json;
using System.Text.Json.Serialization;
using NationalId.Api;

namespace NationalId.Silo.Apis;

/// <summary>
/// Every string of every request body passes <see cref="FreeText"/> as it is read, so no endpoint can forget it: a
/// NUL, a control character, an unpaired surrogate or an endless string is refused with 400 invalid_text naming the
/// member, before any handler sees the body. Free-text members get their shorter limits in the handlers.
/// </summary>
public sealed class StrictTextConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        string? text;
        try
        {
            text = reader.GetString();
        }
        catch (InvalidOperationException) when (reader.ValueIsEscaped)
        {
            // The reader refuses an escaped lone surrogate ("\ud800") itself: the same rule, so the same answer.
            throw new InvalidTextException("contains an unpaired surrogate");
        }

        return text is not null && FreeText.Problem(text, FreeText.MaxAnyString) is { } problem ? throw new InvalidTextException(problem) : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Read(ref reader, typeToConvert, options) ?? string.Empty;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
}

/// <summary>A request string broke <see cref="FreeText"/>; the serializer adds the member's path.</summary>
public sealed class InvalidTextException(string problem) : JsonException(problem)
{
    public string Problem { get; } = problem;
}
