namespace NationalId;

/// <summary>Names of the grain storage providers. Tests register memory storage under the same names.</summary>
public static class StorageNames
{
    /// <summary>National state (relying parties, their quotas, capture vendors): the national database.</summary>
    public const string Default = "nid";

    /// <summary>Citizens' state: routed to the citizen's shard (<see cref="Storage.ShardedGrainStorage"/>).</summary>
    public const string Citizens = "nid-citizens";
}
