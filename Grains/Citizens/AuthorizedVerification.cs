using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Citizens;

/// <summary>
/// What a citizen grain decides on: the caller's <see cref="CitizenVerification"/> together with what the grain looked
/// up itself from the RP's own policy (its province, the scope's rules). Never serialized: nothing in it can come from
/// a caller but the message, and the message names the RP and the scope only.
/// </summary>
internal sealed record AuthorizedVerification(CitizenVerification Message, string RelyingPartyProvince, ScopePolicy Scope)
{
    public byte[] CredentialId => Message.CredentialId;

    public DateTimeOffset IssuedAt => Message.IssuedAt;

    public byte[] Nonce => Message.Nonce;

    public byte[] SignedBytes => Message.SignedBytes;

    public byte[] Signature => Message.Signature;

    public string RelyingPartyId => Message.RelyingPartyId;

    public FaceSample? Face => Message.Face;

    public MatchRequest? Match => Message.Match;

    public Guid VerificationId => Message.VerificationId;

    public bool OnBehalf => Message.OnBehalf;
}
