namespace NationalId;

/// <summary>Names of the grain storage providers. Tests register memory storage under the same names.</summary>
public static class StorageNames
{
    public const string Default = "nid";
}
