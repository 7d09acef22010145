using NationalId.Citizens;

namespace NationalId.Verification;

/// <summary>
/// What an RP receives: verified or not with a reason code, the assurance, the RP-specific pseudonym, only the
/// scope's attributes, and the yes/no of a match request.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.VerificationResult")]
public sealed record VerificationResult(
    [property: Id(0)] Guid VerificationId,
    [property: Id(1)] bool Verified,
    [property: Id(2)] string? Reason,
    [property: Id(3)] Assurance Assurance,
    [property: Id(4)] string? Pseudonym,
    [property: Id(5)] IReadOnlyDictionary<string, string> Attributes,
    [property: Id(6)] bool? Match,
    [property: Id(7)] DateTimeOffset CheckedAt,
    [property: Id(8)] string? DelegatePseudonym = null)
{
    /// <summary>Verified on the principal's behalf: the attributes are the principal's, the delegate is named by pseudonym.</summary>
    public bool Delegated => DelegatePseudonym is not null;

    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public static VerificationResult Rejected(string reason, DateTimeOffset at) =>
        new(Guid.CreateVersion7(at), false, reason, Assurance.None, null, None, null, at);
}
