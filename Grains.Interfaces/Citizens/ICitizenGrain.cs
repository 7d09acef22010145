using NationalId.Verification;
using Orleans.Concurrency;

namespace NationalId.Citizens;

/// <summary>
/// One citizen, keyed by the citizen handle (a keyed hash of the ID number, never the number itself). Holds identity
/// attributes, the enrolled face template, bound credentials and the secret behind RP pseudonyms.
/// </summary>
[Alias("nid.ICitizenGrain")]
public interface ICitizenGrain : IGrainWithStringKey
{
    [Alias("Enroll")]
    Task<OperationOutcome> Enroll(CitizenEnrollment enrollment);

    [Alias("IssueActivationCode")]
    Task<ActivationCode> IssueActivationCode();

    [Alias("Activate")]
    Task<ActivationResult> Activate(DeviceActivation activation);

    [Alias("Verify")]
    Task<CitizenVerificationOutcome> Verify(CitizenVerification request);

    /// <summary>Revokes a credential at a counter or hotline; durable before it returns.</summary>
    [Alias("RevokeCredential")]
    Task<OperationOutcome> RevokeCredential(byte[] credentialId, string reason, string channel);

    /// <summary>Revokes a credential on a request signed by one of the citizen's own active devices.</summary>
    [Alias("RevokeCredentialByDevice")]
    Task<OperationOutcome> RevokeCredentialByDevice(DeviceSignedRequest request, byte[] credentialId, string reason);

    [Alias("GetSummary"), ReadOnly]
    Task<CitizenSummary> GetSummary();
}
