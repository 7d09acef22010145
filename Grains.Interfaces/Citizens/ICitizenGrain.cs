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
    Task<CitizenVerificationOutcome> Verify(CitizenVerification message);

    /// <summary>Suspends, resumes or revokes a credential (lost phone); durable, and its event recorded, before it returns.</summary>
    [Alias("ChangeCredential")]
    Task<OperationOutcome> ChangeCredential(CredentialChange change);

    /// <summary>Locks or unlocks the identity: while locked every remote verification is refused.</summary>
    [Alias("SetLocked")]
    Task<OperationOutcome> SetLocked(IdentityLockChange change);

    /// <summary>Registers the province the citizen lives in; durable, and its event recorded, before it returns.</summary>
    [Alias("RegisterResidence")]
    Task<OperationOutcome> RegisterResidence(ResidenceChange change);

    /// <summary>A verification at a counter or with a printed card: a live face against the enrolled template.</summary>
    [Alias("VerifyInPerson")]
    Task<CitizenVerificationOutcome> VerifyInPerson(InPersonVerification request);

    /// <summary>
    /// Matches a live face in person (a guardian at a counter); failures count toward the face-attempt limit.
    /// Null when it matched, else a rejection reason.
    /// </summary>
    [Alias("MatchFace")]
    Task<string?> MatchFace(FaceSample face);

    [Alias("IssueCard")]
    Task<CardIssueResult> IssueCard(CardIssue issue);

    [Alias("RevokeCard")]
    Task<OperationOutcome> RevokeCard(CardRevocation revocation);

    [Alias("GrantMandate")]
    Task<MandateResult> GrantMandate(MandateGrant grant);

    [Alias("RevokeMandate")]
    Task<OperationOutcome> RevokeMandate(MandateRevocation revocation);

    /// <summary>The principal's mandates (their own phone asks, signed).</summary>
    [Alias("ListMandates")]
    Task<MandateResult> ListMandates(DeviceSignedRequest device);

    /// <summary>Checks and records a delegate's use of a mandate; the principal's answer to the RP, or a rejection.</summary>
    [Alias("UseMandate")]
    Task<CitizenVerificationOutcome> UseMandate(MandateUse use);

    /// <summary>Writes the state again (sealing it under the current master key); false when there is no citizen.</summary>
    [Alias("Reseal")]
    Task<bool> Reseal();

    /// <summary>The citizen's access history, newest first.</summary>
    [Alias("ReadHistory")]
    Task<HistoryPage> ReadHistory(HistoryQuery query);

    /// <summary>Null when the request is validly signed by an active phone of this citizen (a read: nothing consumed).</summary>
    [Alias("CheckDevice"), ReadOnly]
    Task<string?> CheckDevice(DeviceSignedRequest request);

    /// <summary>Whether this credential is still active: asked at every poll of the phone's event stream.</summary>
    [Alias("IsActiveCredential"), ReadOnly]
    Task<bool> IsActiveCredential(byte[] credentialId);

    [Alias("GetSummary"), ReadOnly]
    Task<CitizenSummary> GetSummary();
}
