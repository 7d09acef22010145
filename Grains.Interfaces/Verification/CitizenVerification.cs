using NationalId.Citizens;
using NationalId.RelyingParties;

namespace NationalId.Verification;

/// <summary>
/// An opened presentation plus the authorized RP's context, handed to the citizen grain to decide.
/// <see cref="VerificationId"/> (a UUIDv7) is chosen by the gateway once per request and kept across its retries: the
/// grain records a decided verification under it, at its timestamp, and answers a retry of the same id from that
/// record instead of calling it a replay.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.CitizenVerification")]
public sealed record CitizenVerification(
    [property: Id(0)] byte[] CredentialId,
    [property: Id(1)] DateTimeOffset IssuedAt,
    [property: Id(2)] byte[] Nonce,
    [property: Id(3)] byte[] SignedBytes,
    [property: Id(4)] byte[] Signature,
    [property: Id(5)] string RelyingPartyId,
    [property: Id(6)] string RelyingPartyProvince,
    [property: Id(7)] ScopePolicy Scope,
    [property: Id(8)] FaceSample? Face,
    [property: Id(9)] MatchRequest? Match,
    [property: Id(10)] Guid VerificationId,
    [property: Id(11)] bool OnBehalf = false);
