using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NationalId.Citizens;
using NationalId.Security;
using Orleans.Storage;

namespace NationalId;

/// <summary>
/// Stores grain state as plain System.Text.Json without .NET type names (the default Newtonsoft serializer writes
/// "$type": "Namespace.Class, Assembly", which a class rename or move would orphan). The state type is always known
/// from the grain's IPersistentState&lt;T&gt;, so no name is needed. Enums are written as names, so reordering an
/// enum never changes stored meaning. A citizen's personal fields are never written in clear: they travel sealed
/// in a <c>"sealed"</c> member (<see cref="CitizenDataProtector"/>), bound to the citizen's handle; state without it
/// is refused (there is no path that reads personal data in clear).
/// </summary>
public sealed class GrainStateJsonSerializer(CitizenDataProtector? protector = null) : IGrainStorageSerializer
{
    private const string SealedMember = "sealed";

    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,

        // Stored JSON, never embedded in HTML: '+' of base64 and the like stay one byte instead of six (\u002B).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly byte[] SealedPrefix = System.Text.Encoding.UTF8.GetBytes($",\"{SealedMember}\":");

    public BinaryData Serialize<T>(T? input)
    {
        if (input is CitizenState citizen)
        {
            // The state's object with the seal as its last member, spliced in bytes (no document built in between):
            // {…state members…,"sealed":{…}}. A citizen's state always has members (Enrolled is never omitted).
            var state = JsonSerializer.SerializeToUtf8Bytes(citizen, Options);
            var seal = JsonSerializer.SerializeToUtf8Bytes(Protector.Seal(citizen), Options);
            var bytes = new byte[state.Length - 1 + SealedPrefix.Length + seal.Length + 1];
            state.AsSpan(0, state.Length - 1).CopyTo(bytes);
            SealedPrefix.CopyTo(bytes, state.Length - 1);
            seal.CopyTo(bytes, state.Length - 1 + SealedPrefix.Length);
            bytes[^1] = (byte)'}';
            return new BinaryData(bytes);
        }

        return new(JsonSerializer.SerializeToUtf8Bytes(input, Options));
    }

    public T Deserialize<T>(BinaryData input)
    {
        if (typeof(T) == typeof(CitizenState))
        {
            var node = JsonNode.Parse(input.ToMemory().Span)?.AsObject() ?? throw new JsonException("Stored citizen state is null.");
            var sealedNode = node[SealedMember];
            node.Remove(SealedMember);
            var citizen = node.Deserialize<CitizenState>(Options)!;
            // Personal data is only ever read from its seal: clear personal members in a row (whoever wrote them) are
            // ignored, and an enrolled citizen without a seal is refused, not read as clear data nobody sealed.
            if (sealedNode is not null)
            {
                Protector.Open(citizen, sealedNode.Deserialize<SealedPersonal>(Options)!);
            }
            else if (citizen.Enrolled)
            {
                throw new System.Security.Cryptography.CryptographicException("Stored citizen state has no sealed personal data: refused.");
            }

            return (T)(object)citizen;
        }

        return JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options)
            ?? throw new JsonException($"Stored state of {typeof(T).Name} is null.");
    }

    private CitizenDataProtector Protector =>
        protector ?? throw new InvalidOperationException("Citizen state needs master keys to be stored (NationalId:MasterKeys).");
}
