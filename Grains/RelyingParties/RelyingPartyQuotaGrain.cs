using NationalId.Placement;

namespace NationalId.RelyingParties;

[GenerateSerializer, Alias("nid.RelyingPartyQuotaState")]
public sealed class RelyingPartyQuotaState
{
    [Id(0)] public long Admitted { get; set; }
}

/// <summary>Counts one RP's admitted verifications of one day; written at every report, so a restart loses nothing counted.</summary>
[GrainType("relying-party-quota")]
[RegionalPlacement]
public sealed class RelyingPartyQuotaGrain(
    [PersistentState("relying-party-quota", StorageNames.Default)] IPersistentState<RelyingPartyQuotaState> state) : Grain, IRelyingPartyQuotaGrain
{
    public async Task<long> Add(long admitted)
    {
        state.State.Admitted += admitted;
        await state.WriteStateAsync();
        return state.State.Admitted;
    }
}
