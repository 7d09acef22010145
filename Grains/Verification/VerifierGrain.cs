using Orleans.Concurrency;

namespace NationalId.Verification;

/// <summary>Runs <see cref="Verifier"/> for Orleans clients, on the silo that receives the call.</summary>
[StatelessWorker]
[GrainType("verifier")]
public sealed class VerifierGrain(Verifier verifier) : Grain, IVerifierGrain
{
    public Task<VerifyOutcome> Verify(string apiKey, VerifyInput input) => verifier.VerifyAsync(apiKey, input);
}
