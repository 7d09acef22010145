using Orleans.Concurrency;

namespace NationalId.Verification;

/// <summary>
/// Runs <see cref="Verifier"/> for Orleans clients, on the silo that receives the call. Reentrant: it holds no state,
/// and a verification spends most of its time waiting for the citizen grain and the history commit, so one activation
/// must interleave many (without it, two activations per silo capped the direct mode at two in flight).
/// </summary>
[StatelessWorker]
[Reentrant]
[GrainType("verifier")]
public sealed class VerifierGrain(Verifier verifier) : Grain, IVerifierGrain
{
    public Task<VerifyOutcome> Verify(string apiKey, VerifyInput input) => verifier.VerifyAsync(apiKey, input);
}
