using NationalId.Verification;

namespace NationalId.Citizens;

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
