namespace NationalId.Verification;

/// <summary>
/// The verification entry point for Orleans clients (gateways in other processes, the load tester's direct mode):
/// the same checks as POST /v1/verifications, run on whichever silo receives the call. A stateless worker: no single
/// grain on the path.
/// </summary>
[Alias("nid.IVerifierGrain")]
public interface IVerifierGrain : IGrainWithIntegerKey
{
    [Alias("Verify")]
    Task<VerifyOutcome> Verify(string apiKey, VerifyInput input);
}
