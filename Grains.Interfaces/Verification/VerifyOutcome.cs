namespace NationalId.Verification;

/// <summary>
/// The answer to a verification request: a result (verified, or rejected with a reason), or a refusal of the request
/// itself with a stable error code (invalid_api_key, scope_not_allowed...); the gateway gives the code its HTTP status.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.VerifyOutcome")]
public sealed record VerifyOutcome(
    [property: Id(1)] string? ErrorCode,
    [property: Id(2)] string? Detail,
    [property: Id(3)] VerificationResult? Result,
    [property: Id(4)] int? RetryAfterSeconds = null)
{
    public static VerifyOutcome Refused(string code, string detail) => new(code, detail, null);

    public static VerifyOutcome Answered(VerificationResult result) => new(null, null, result);
}
