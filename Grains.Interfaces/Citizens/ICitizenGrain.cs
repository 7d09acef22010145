using NationalId.History;
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

    /// <summary>Suspends, resumes or revokes a credential (lost phone); durable, and its event recorded, before it returns.</summary>
    [Alias("ChangeCredential")]
    Task<OperationOutcome> ChangeCredential(CredentialChange change);

    /// <summary>Locks or unlocks the identity: while locked every remote verification is refused.</summary>
    [Alias("SetLocked")]
    Task<OperationOutcome> SetLocked(IdentityLockChange change);

    /// <summary>Registers the province the citizen lives in; durable, and its event recorded, before it returns.</summary>
    [Alias("RegisterResidence")]
    Task<OperationOutcome> RegisterResidence(ResidenceChange change);

    /// <summary>The citizen's access history, newest first.</summary>
    [Alias("ReadHistory")]
    Task<HistoryPage> ReadHistory(HistoryQuery query);

    /// <summary>Null when the request is validly signed by an active phone of this citizen (a read: nothing consumed).</summary>
    [Alias("CheckDevice"), ReadOnly]
    Task<string?> CheckDevice(DeviceSignedRequest request);

    [Alias("GetSummary"), ReadOnly]
    Task<CitizenSummary> GetSummary();
}
