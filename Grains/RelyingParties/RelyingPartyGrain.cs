using Microsoft.Extensions.Logging;
using NationalId.Citizens;
using NationalId.Errors;
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
            return OperationOutcome.Fail(ErrorCodes.RelyingPartyExists);
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
            RateLimitPerSecond = registration.RateLimitPerSecond,
            DailyQuota = registration.DailyQuota,
            RequireSignedRequests = registration.RequireSignedRequests,
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
            this.GetPrimaryKeyString(), s.LegalName, s.Sector, s.Province, s.Status, scopes, [.. s.ApiKeyHashes], s.Version,
            s.RateLimitPerSecond, s.DailyQuota, s.RequireSignedRequests));
    }

    public async Task<OperationOutcome> SetStatus(RelyingPartyStatus status, string reason)
    {
        if (!state.State.Registered)
        {
            return OperationOutcome.Fail(ErrorCodes.RelyingPartyNotFound);
        }

        if (state.State.Status != status)
        {
            state.State.Status = status;
            state.State.StatusReason = reason;
            await Changed();
            logger.LogInformation("Relying party status set to {Status}", status);
        }

        return OperationOutcome.Ok;
    }

    public async Task<OperationOutcome> AddKey(byte[] apiKeyHash)
    {
        if (!state.State.Registered)
        {
            return OperationOutcome.Fail(ErrorCodes.RelyingPartyNotFound);
        }

        // Two keys at most: the one in use and its replacement, so a rotation never needs a moment without a key.
        state.State.ApiKeyHashes = [.. state.State.ApiKeyHashes.TakeLast(1), apiKeyHash];
        await Changed();
        logger.LogInformation("Relying party API key added");
        return OperationOutcome.Ok;
    }

    public async Task<OperationOutcome> RetireOldKeys()
    {
        if (!state.State.Registered)
        {
            return OperationOutcome.Fail(ErrorCodes.RelyingPartyNotFound);
        }

        if (state.State.ApiKeyHashes.Count > 1)
        {
            state.State.ApiKeyHashes = [state.State.ApiKeyHashes[^1]];
            await Changed();
            logger.LogInformation("Relying party's older API key retired");
        }

        return OperationOutcome.Ok;
    }

    /// <summary>Stores the change, then tells every silo to drop its cached copy now, not when its TTL runs out.</summary>
    private async Task Changed()
    {
        state.State.Version++;
        await Persist();
        await this.GetStreamProvider(EventStreams.Provider)
            .GetStream<RelyingPartyChanged>(StreamId.Create(EventStreams.RelyingPartyChanges, this.GetPrimaryKeyString()))
            .OnNextAsync(new RelyingPartyChanged(this.GetPrimaryKeyString(), state.State.Version));
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
