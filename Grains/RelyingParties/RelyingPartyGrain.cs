using Microsoft.Extensions.Logging;
using NationalId.Citizens;
using NationalId.Events;

namespace NationalId.RelyingParties;

/// <summary>
/// One relying party's registration and authorization. Verifications do not call it: every silo serves its policy
/// from <see cref="RelyingPartyDirectory"/>, so even the national railway's traffic never queues on this grain.
/// </summary>
[GrainType("relying-party")]
[Placement.RegionalPlacement]
public sealed class RelyingPartyGrain(
    [PersistentState("relying-party", StorageNames.Default)] IPersistentState<RelyingPartyState> state,
    TimeProvider clock,
    ILogger<RelyingPartyGrain> logger) : Grain, IRelyingPartyGrain
{
    public async Task<OperationOutcome> Register(RelyingPartyRegistration registration)
    {
        if (state.State.Registered)
        {
            return OperationOutcome.Fail("relying_party_exists");
        }

        state.State = new RelyingPartyState
        {
            Registered = true,
            LegalName = registration.LegalName,
            Sector = registration.Sector,
            Province = registration.Province,
            Status = RelyingPartyStatus.Active,
            Scopes = [.. registration.Scopes.Distinct(StringComparer.Ordinal)],
            ApiKeyHashes = [registration.ApiKeyHash],
            Version = 1,
            RegisteredAt = clock.GetUtcNow(),
        };
        await Persist();
        logger.LogInformation("Relying party registered in sector {Sector}", registration.Sector);
        return OperationOutcome.Ok;
    }

    public Task<RelyingPartyPolicy?> GetPolicy()
    {
        if (!state.State.Registered)
        {
            return Task.FromResult<RelyingPartyPolicy?>(null);
        }

        var s = state.State;
        var scopes = s.Scopes
            .Select(name => ScopeCatalog.TryGet(name, out var policy) ? policy : null)
            .OfType<ScopePolicy>()
            .ToArray();
        return Task.FromResult<RelyingPartyPolicy?>(new RelyingPartyPolicy(
            this.GetPrimaryKeyString(), s.LegalName, s.Sector, s.Province, s.Status, scopes, [.. s.ApiKeyHashes], s.Version));
    }

    public async Task<OperationOutcome> SetStatus(RelyingPartyStatus status, string reason)
    {
        if (!state.State.Registered)
        {
            return OperationOutcome.Fail("relying_party_not_found");
        }

        if (state.State.Status != status)
        {
            state.State.Status = status;
            state.State.StatusReason = reason;
            state.State.Version++;
            await Persist();

            // Every silo drops its cached copy now, not when its TTL runs out.
            await this.GetStreamProvider(EventStreams.Provider)
                .GetStream<RelyingPartyChanged>(StreamId.Create(EventStreams.RelyingPartyChanges, this.GetPrimaryKeyString()))
                .OnNextAsync(new RelyingPartyChanged(this.GetPrimaryKeyString(), state.State.Version));
            logger.LogInformation("Relying party status set to {Status}", status);
        }

        return OperationOutcome.Ok;
    }

    private async Task Persist()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Memory must never run ahead of storage: reload on the next call.
            DeactivateOnIdle();
            throw;
        }
    }
}
