using NationalId.History;
using NationalId.Verification;
using Orleans.Concurrency;

namespace NationalId.Citizens;

/// <summary>
/// One citizen, keyed by the citizen handle (a keyed hash of the ID number, never the number itself). Holds identity
/// attributes, the enrolled face template, bound credentials and the secret behind RP pseudonyms.
/// </summary>
/// <remarks>
/// One grain per citizen, the serialization point of everything about them; its calls are grouped by role below,
/// as the grain's partial files are (Grains/Citizens/CitizenGrain.*.cs).
/// </remarks>
[Alias("nid.ICitizenGrain")]
public interface ICitizenGrain : ICitizenEnrolment, ICitizenVerification, ICitizenSelfService, ICitizenCards, ICitizenMandates;

/// <summary>Becoming a citizen of the service and binding phones: enrolment at a counter, activation codes, a phone's activation.</summary>
[Alias("nid.ICitizenEnrolment")]
public interface ICitizenEnrolment : IGrainWithStringKey
{
    [Alias("Enroll")]
    Task<OperationOutcome> Enroll(CitizenEnrollment enrollment);

    [Alias("IssueActivationCode")]
    Task<ActivationCode> IssueActivationCode();

    [Alias("Activate")]
    Task<ActivationResult> Activate(DeviceActivation activation);

    [Alias("GetSummary"), ReadOnly]
    Task<CitizenSummary> GetSummary();

    /// <summary>Writes the state again (sealing it under the current master key); false when there is no citizen.</summary>
    [Alias("Reseal")]
    Task<bool> Reseal();
}

/// <summary>Relying parties verifying the citizen: a phone's presentation, a counter or printed-card check, a guardian's face.</summary>
[Alias("nid.ICitizenVerification")]
public interface ICitizenVerification : IGrainWithStringKey
{
    [Alias("Verify")]
    Task<CitizenVerificationOutcome> Verify(CitizenVerification message);

    /// <summary>A verification at a counter or with a printed card: a live face against the enrolled template.</summary>
    [Alias("VerifyInPerson")]
    Task<CitizenVerificationOutcome> VerifyInPerson(InPersonVerification request);

    /// <summary>
    /// Matches a live face in person (a guardian at a counter); failures count toward the face-attempt limit.
    /// Null when it matched, else a rejection reason.
    /// </summary>
    [Alias("MatchFace")]
    Task<string?> MatchFace(FaceSample face);
}

/// <summary>What the citizen (or a counter or the hotline for them) changes and reads: phones, the lock, the residence, the history.</summary>
[Alias("nid.ICitizenSelfService")]
public interface ICitizenSelfService : IGrainWithStringKey
{
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

    /// <summary>Whether this credential is still active: asked at every poll of the phone's event stream.</summary>
    [Alias("IsActiveCredential"), ReadOnly]
    Task<bool> IsActiveCredential(byte[] credentialId);
}

/// <summary>Printed cards for people without a smartphone.</summary>
[Alias("nid.ICitizenCards")]
public interface ICitizenCards : IGrainWithStringKey
{
    [Alias("IssueCard")]
    Task<CardIssueResult> IssueCard(CardIssue issue);

    [Alias("RevokeCard")]
    Task<OperationOutcome> RevokeCard(CardRevocation revocation);
}

/// <summary>Mandates and guardianships, held by the principal: granting, ending, listing and their use by a delegate.</summary>
[Alias("nid.ICitizenMandates")]
public interface ICitizenMandates : IGrainWithStringKey
{
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
}
