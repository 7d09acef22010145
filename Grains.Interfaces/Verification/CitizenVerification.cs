using NationalId.Citizens;

namespace NationalId.Verification;

/// <summary>
/// An opened presentation and the RP and scope it is for, handed to the citizen grain to decide. It names the RP and
/// the scope only: the grain takes the RP's province and the scope's rules from the RP's own policy, never from a
/// caller (a message can come from anyone who reaches the cluster).
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
    [property: Id(12)] string ScopeName,
    [property: Id(8)] FaceSample? Face,
    [property: Id(9)] MatchRequest? Match,
    [property: Id(10)] Guid VerificationId,
    [property: Id(11)] bool OnBehalf = false);
