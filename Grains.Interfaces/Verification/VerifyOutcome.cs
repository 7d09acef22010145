namespace NationalId.Verification;

/// <summary>
/// The answer to a verification request: a result (status 200, verified or rejected with a reason), or a refusal of
/// the request itself with an HTTP-like status and a stable error code (401 invalid_api_key, 403 scope_not_allowed...).
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.VerifyOutcome")]
public sealed record VerifyOutcome(
    [property: Id(0)] int Status,
    [property: Id(1)] string? ErrorCode,
    [property: Id(2)] string? Detail,
    [property: Id(3)] VerificationResult? Result,
    [property: Id(4)] int? RetryAfterSeconds = null)
{
    public static VerifyOutcome Refused(int status, string code, string detail) => new(status, code, detail, null);
}
