using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Citizens;
using NationalId.Errors;
using NationalId.Protocol;

namespace NationalId.Silo.Apis;

/// <summary>
/// Reads the device-signature headers of a wallet request. The gateway only parses; the citizen grain, which holds
/// the public keys, decides whether the signature is valid.
/// </summary>
public static class DeviceAuthentication
{
    /// <summary>The path that is signed: path and query string exactly as sent.</summary>
    public static string SignedPath(HttpRequest request) => (request.Path.Value ?? "/") + request.QueryString.Value;

    public static ProblemHttpResult? ReadSignature(
        HttpRequest request, byte[] body, TimeProvider clock, out long timestampMs, out byte[] signedBytes, out byte[] signature)
    {
        signedBytes = signature = [];
        if (!long.TryParse(request.Headers[DeviceRequestSignature.TimestampHeader], NumberStyles.None, CultureInfo.InvariantCulture, out timestampMs)
            || !Base64Url.TryDecode(request.Headers[DeviceRequestSignature.SignatureHeader], out signature))
        {
            return ApiErrors.Problem(ErrorCodes.DeviceSignatureInvalid,
                $"Wallet requests carry {DeviceRequestSignature.TimestampHeader} and {DeviceRequestSignature.SignatureHeader}.");
        }

        if (Math.Abs(clock.GetUtcNow().ToUnixTimeMilliseconds() - timestampMs) > DeviceRequestSignature.MaxClockSkew.TotalMilliseconds)
        {
            return ApiErrors.Problem(ErrorCodes.DeviceRequestReplayed, "The signed timestamp is too far from the service's clock.");
        }

        signedBytes = DeviceRequestSignature.SignedBytes(request.Method, SignedPath(request), timestampMs, body);
        return null;
    }

    /// <summary>Reads the signing credential and the signature of a request by an already bound phone.</summary>
    public static ProblemHttpResult? Read(HttpRequest request, byte[] body, TimeProvider clock, out string handle, out DeviceSignedRequest signed)
    {
        signed = null!;
        if (!DeviceRequestSignature.TryParseCredentialReference(request.Headers[DeviceRequestSignature.CredentialHeader], out handle, out var signerId)
            || CitizenHandles.ProvinceOf(handle) is null)
        {
            return ApiErrors.Problem(ErrorCodes.DeviceSignatureInvalid, $"Signed requests name the signing credential in {DeviceRequestSignature.CredentialHeader}.");
        }

        if (ReadSignature(request, body, clock, out var timestampMs, out var signedBytes, out var signature) is { } problem)
        {
            return problem;
        }

        signed = new DeviceSignedRequest(signerId, timestampMs, signedBytes, signature);
        return null;
    }
}
