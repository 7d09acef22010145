using System.Text;

namespace NationalId.Storage;

/// <summary>
/// How the Orleans ADO.NET provider identifies a citizen's row in <c>orleans_grain_state</c>, for writers that bypass it
/// (the bulk import): a string-keyed grain's key hashed with Orleans' StableHash over its UTF-8 bytes in reverse
/// order (what the provider does on a little-endian machine), the state name hashed the same way unreversed, both
/// numeric key halves 0 and the handle as the key extension. Pinned against the provider itself by
/// Storage/CitizenStorageKeysTests: if Orleans ever hashes otherwise, that test fails before an import is misfiled.
/// </summary>
public static class CitizenStorageKeys
{
    /// <summary>The citizen grain's persistent-state name (the provider's "grain type").</summary>
    public const string StateName = "citizen";

    public static readonly int GrainTypeHash = (int)StableHash.ComputeHash(Encoding.UTF8.GetBytes(StateName));

    public static int GrainIdHash(string handle)
    {
        var bytes = Encoding.UTF8.GetBytes(handle);
        Array.Reverse(bytes);
        return (int)StableHash.ComputeHash(bytes);
    }
}
