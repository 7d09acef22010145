namespace NationalId.RelyingParties;

/// <summary>One RP's verification count for one UTC day, across the cluster ("rp-44-…/2026-11-26").</summary>
[Alias("nid.IRelyingPartyQuotaGrain")]
public interface IRelyingPartyQuotaGrain : IGrainWithStringKey
{
    static string KeyFor(string relyingPartyId, DateOnly day) => $"{relyingPartyId}/{day:yyyy-MM-dd}";

    /// <summary>Adds a silo's admissions since its last report; the day's total so far.</summary>
    [Alias("Add")]
    Task<long> Add(long admitted);
}
