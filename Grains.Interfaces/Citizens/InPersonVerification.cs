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
