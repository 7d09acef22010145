using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Storage;

namespace NationalId;

/// <summary>
/// Stores grain state as plain System.Text.Json without .NET type names (the default Newtonsoft serializer writes
/// "$type": "Namespace.Class, Assembly", which a class rename or move would orphan). The state type is always known
/// from the grain's IPersistentState&lt;T&gt;, so no name is needed. Enums are written as names, so reordering an
/// enum never changes stored meaning.
/// </summary>
public sealed class GrainStateJsonSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    public T Deserialize<T>(BinaryData input) =>
        JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options)
        ?? throw new JsonException($"Stored state of {typeof(T).Name} is null.");
}
