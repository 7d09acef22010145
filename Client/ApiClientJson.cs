using System.Text.Json;
using System.Text.Json.Serialization;

namespace NationalId.Client;

/// <summary>The gateway's JSON conventions, from the client's side.</summary>
public static class ApiClientJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static string Pretty(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(doc.RootElement, Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
