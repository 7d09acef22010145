namespace NationalId.Events;

/// <summary>
/// One per silo, keyed by the silo's address and placed on that silo: the way to reach a silo's local RP policy
/// cache from anywhere in the cluster.
/// </summary>
[Alias("nid.ISiloPolicyCacheGrain")]
public interface ISiloPolicyCacheGrain : IGrainWithStringKey
{
    [Alias("Invalidate")]
    Task Invalidate(string relyingPartyId);
}
