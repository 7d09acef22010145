using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Citizens;

/// <summary>
/// A verification where the person stands at the RP's terminal: at a counter (ID number read from the physical card,
/// <see cref="CardId"/> null) or with a printed card's static QR (<see cref="CardId"/> set). A live face is always
/// matched against the enrolled template. <see cref="VerificationId"/> as in <see cref="CitizenVerification"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.InPersonVerification")]
public sealed record InPersonVerification(
    [property: Id(0)] string RelyingPartyId,
    [property: Id(7)] string ScopeName,
    [property: Id(3)] FaceSample? Face,
    [property: Id(4)] MatchRequest? Match,
    [property: Id(5)] Guid VerificationId,
    [property: Id(6)] byte[]? CardId);

/// <summary>Issues a printed card at a counter after a live face match; any earlier card stops working.</summary>
[GenerateSerializer, Immutable, Alias("nid.CardIssue")]
public sealed record CardIssue(
    [property: Id(0)] FaceSample Face,
    [property: Id(1)] TimeSpan Validity);

[GenerateSerializer, Immutable, Alias("nid.CardIssueResult")]
public sealed record CardIssueResult(
    [property: Id(0)] string? Error,
    [property: Id(1)] byte[]? CardId,
    [property: Id(2)] DateTimeOffset ExpiresAt);

/// <summary>Revokes the citizen's printed card: at a counter (live face) or by the hotline (protective, no face).</summary>
[GenerateSerializer, Immutable, Alias("nid.CardRevocation")]
public sealed record CardRevocation(
    [property: Id(0)] ActionChannel Channel,
    [property: Id(1)] string Reason,
    [property: Id(2)] FaceSample? Face);

public enum MandateKind
{
    /// <summary>Granted by an adult principal (by phone or at a counter) for some scopes and a period.</summary>
    Mandate = 0,

    /// <summary>A guardian for a minor under 16, created at a counter; ends on the 16th birthday at the latest.</summary>
    Guardianship = 1,
}

/// <summary>
/// Grants another citizen (the delegate, by handle) the right to be verified on the principal's behalf for some
/// scopes and a period. By the principal's phone (signed) or at a counter (the principal's face; for a guardianship
/// the guardian's face is matched by the gateway on the guardian's own grain first).
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.MandateGrant")]
public sealed record MandateGrant(
    [property: Id(0)] string DelegateHandle,
    [property: Id(1)] string[] Scopes,
    [property: Id(2)] DateTimeOffset ValidFrom,
    [property: Id(3)] DateTimeOffset? ValidUntil,
    [property: Id(4)] MandateKind Kind,
    [property: Id(5)] ActionChannel Channel,
    [property: Id(6)] DeviceSignedRequest? Device,
    [property: Id(7)] FaceSample? Face);

[GenerateSerializer, Immutable, Alias("nid.MandateView")]
public sealed record MandateView(
    [property: Id(0)] string MandateId,
    [property: Id(1)] MandateKind Kind,
    [property: Id(2)] string[] Scopes,
    [property: Id(3)] DateTimeOffset ValidFrom,
    [property: Id(4)] DateTimeOffset ValidUntil,
    [property: Id(5)] bool Revoked,
    [property: Id(6)] DateTimeOffset GrantedAt);

[GenerateSerializer, Immutable, Alias("nid.MandateResult")]
public sealed record MandateResult(
    [property: Id(0)] string? Error,
    [property: Id(1)] IReadOnlyList<MandateView> Mandates);

/// <summary>Ends a mandate: by the principal's phone (signed) or at a counter (the principal's face).</summary>
[GenerateSerializer, Immutable, Alias("nid.MandateRevocation")]
public sealed record MandateRevocation(
    [property: Id(0)] string MandateId,
    [property: Id(1)] string Reason,
    [property: Id(2)] ActionChannel Channel,
    [property: Id(3)] DeviceSignedRequest? Device,
    [property: Id(4)] FaceSample? Face,
    [property: Id(5)] string? GuardianHandle = null);

/// <summary>
/// The delegate was verified (their own QR, by the RP); the principal's grain checks the mandate, records the use
/// and answers with the principal's attributes that the scope allows. It names the delegate's verification, which the
/// principal's grain reads from the delegate's own history (its RP, scope, result and assurance), never believing a
/// caller's word for any of them.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.MandateUse")]
public sealed record MandateUse(
    [property: Id(0)] string DelegateHandle,
    [property: Id(1)] string RelyingPartyId,
    [property: Id(6)] string ScopeName,
    [property: Id(4)] MatchRequest? Match,
    [property: Id(7)] Guid DelegateVerificationId);
