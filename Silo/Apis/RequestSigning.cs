using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Errors;
using NationalId.Protocol;
using NationalId.RelyingParties;

namespace NationalId.Silo.Apis;

/// <summary>
/// Optional request signing for RPs registered with <c>signedRequests</c> (docs/decisions/security.md): the API key proves who
/// calls, the signature that this exact request (method, path, body) left the RP within the last five minutes, so a
/// proxy or a logging middlebox in between can neither change nor later replay it elsewhere.
/// <c>X-NID-Timestamp</c>: unix milliseconds; <c>X-NID-Signature</c>: base64url(HMAC-SHA256(key, "NID-RP-v1\n" ‖
/// method ‖ "\n" ‖ path ‖ "\n" ‖ timestamp ‖ "\n" ‖ lowercase hex SHA-256(body))), key = SHA-256(UTF-8 of the API
/// key's secret part, after the dot) — which is also what the service stores, so it needs no other secret.
/// </summary>
public static class RequestSigning
{
    public const string TimestampHeader = "X-NID-Timestamp";
    public const string SignatureHeader = "X-NID-Signature";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static ProblemHttpResult? Check(HttpRequest request, RelyingPartyPolicy policy, byte[] body, TimeProvider clock)
    {
        if (!policy.RequireSignedRequests)
        {
            return null;
        }

        var timestamp = request.Headers[TimestampHeader].ToString();
        var signature = request.Headers[SignatureHeader].ToString();
        if (timestamp.Length == 0 || signature.Length == 0)
        {
            return ApiErrors.Problem(ErrorCodes.SignatureRequired, $"This relying party signs its requests: send {TimestampHeader} and {SignatureHeader}.");
        }

        if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            || Math.Abs(clock.GetUtcNow().ToUnixTimeMilliseconds() - ms) > Window.TotalMilliseconds)
        {
            return ApiErrors.Problem(ErrorCodes.SignatureExpired, "The request's timestamp is missing, malformed or more than five minutes off.");
        }

        if (!Base64Url.TryDecode(signature, out var given))
        {
            return ApiErrors.Problem(ErrorCodes.SignatureInvalid, "The request signature does not match.");
        }

        var payload = Payload(request.Method, request.Path.Value ?? "/", timestamp, body);
        foreach (var key in policy.ApiKeyHashes)
        {
            if (CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, payload), given))
            {
                return null;
            }
        }

        return ApiErrors.Problem(ErrorCodes.SignatureInvalid, "The request signature does not match.");
    }

    /// <summary>What is signed (RP side and service side alike).</summary>
    public static byte[] Payload(string method, string path, string timestamp, byte[] body) =>
        Encoding.UTF8.GetBytes($"NID-RP-v1\n{method.ToUpperInvariant()}\n{path}\n{timestamp}\n{Convert.ToHexStringLower(SHA256.HashData(body))}");

    /// <summary>The signature an RP computes with its API key ("rp-….secret").</summary>
    public static string Sign(string apiKey, string method, string path, string timestamp, byte[] body) =>
        Base64Url.Encode(HMACSHA256.HashData(ApiKeys.Hash(apiKey[(apiKey.IndexOf('.', StringComparison.Ordinal) + 1)..]), Payload(method, path, timestamp, body)));
}
