using NationalId.Citizens;
using Orleans.Concurrency;

namespace NationalId.RelyingParties;

/// <summary>One relying party (hotel chain, railway, bank ...), keyed by its RP id.</summary>
[Alias("nid.IRelyingPartyGrain")]
public interface IRelyingPartyGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task<OperationOutcome> Register(RelyingPartyRegistration registration);

    /// <summary>The current policy, or null when no RP is registered under this id.</summary>
    [Alias("GetPolicy"), ReadOnly]
    Task<RelyingPartyPolicy?> GetPolicy();

    [Alias("SetStatus")]
    Task<OperationOutcome> SetStatus(RelyingPartyStatus status, string reason);

    /// <summary>Adds a new API key (by its hash); the newest previous key stays valid until <see cref="RetireOldKeys"/>.</summary>
    [Alias("AddKey")]
    Task<OperationOutcome> AddKey(byte[] apiKeyHash);

    /// <summary>Keeps only the newest API key.</summary>
    [Alias("RetireOldKeys")]
    Task<OperationOutcome> RetireOldKeys();
}
