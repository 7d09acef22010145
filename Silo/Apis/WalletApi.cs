using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Citizens;
using NationalId.Protocol;
using NationalId.Verification;

namespace NationalId.Silo.Apis;

/// <summary>The citizen's wallet app: activation and self-service revocation, every request signed by a device key.</summary>
public static class WalletApi
{
    public static IEndpointRouteBuilder MapWalletApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/wallet").WithTags("Wallet");
        api.MapGet("/presentation-key", GetPresentationKey);
        api.MapPost("/activations", Activate).Accepts<ActivationRequest>("application/json");
        api.MapPost("/credentials/revoke", Revoke).Accepts<WalletRevocationRequest>("application/json");
        return app;
    }

    public static Ok<PresentationKeyResponse> GetPresentationKey(PresentationKeyRing keys) => TypedResults.Ok(Describe(keys));

    public static async Task<Results<Created<ActivationResponse>, ProblemHttpResult>> Activate(
        HttpRequest request, IGrainFactory grains, CitizenHandles handles, PresentationKeyRing keys, TimeProvider clock)
    {
        var (bytes, error) = await JsonBody.ReadBytesAsync(request);
        if (error is not null)
        {
            return error;
        }

        var (body, parseError) = JsonBody.Parse<ActivationRequest>(bytes!, ApiJson.Options);
        if (parseError is not null)
        {
            return parseError;
        }

        if (RequestValidation.IdNumber(body!.IdNumber, out var idNumber) is { } badId)
        {
            return badId;
        }

        if (!Base64Url.TryDecode(body.PublicKey, out var publicKey) || !PresentationCodec.TryDecodePoint(publicKey, out var parameters))
        {
            return ApiErrors.BadRequest("invalid_public_key", "The public key must be a P-256 point, 65 bytes 0x04‖X‖Y in base64url.");
        }

        ECDsa deviceKey;
        try
        {
            deviceKey = ECDsa.Create(parameters);
        }
        catch (CryptographicException)
        {
            return ApiErrors.BadRequest("invalid_public_key", "The public key is not a point on P-256.");
        }

        using (deviceKey)
        {
            // Proof of possession: the activation itself is signed with the key being bound.
            if (SignatureProblem(request, bytes!, deviceKey, clock, out var timestampMs) is { } badSignature)
            {
                return badSignature;
            }

            _ = timestampMs;
        }

        if (RequestValidation.Face(body.Face, out var face) is { } badFace)
        {
            return badFace;
        }

        var activationCode = string.IsNullOrWhiteSpace(body.ActivationCode) ? null : body.ActivationCode.Trim();
        if (face is null && activationCode is null)
        {
            return ApiErrors.BadRequest("proof_required", "Activation needs a live face or a counter activation code.");
        }

        if (body.DeviceLabel is { Length: > 64 })
        {
            return ApiErrors.BadRequest("invalid_device_label", "Device labels are limited to 64 characters.");
        }

        var handle = handles.For(idNumber);
        var result = await grains.GetGrain<ICitizenGrain>(handle)
            .Activate(new DeviceActivation(publicKey, face, activationCode, body.DeviceLabel));
        if (result.Error is not null)
        {
            return ApiErrors.FromCode(result.Error);
        }

        return TypedResults.Created((string?)null, new ActivationResponse(
            Base64Url.Encode(result.CredentialId!),
            handle,
            DeviceRequestSignature.CredentialReference(handle, result.CredentialId!),
            ApiJson.Name(result.Assurance),
            result.BoundAt,
            Describe(keys)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(HttpRequest request, IGrainFactory grains, TimeProvider clock)
    {
        if (!DeviceRequestSignature.TryParseCredentialReference(request.Headers[DeviceRequestSignature.CredentialHeader], out var handle, out var signerId)
            || CitizenHandles.ProvinceOf(handle) is null)
        {
            return ApiErrors.Unauthorized("device_signature_invalid", $"Signed requests name the signing credential in {DeviceRequestSignature.CredentialHeader}.");
        }

        var (bytes, error) = await JsonBody.ReadBytesAsync(request);
        if (error is not null)
        {
            return error;
        }

        if (ReadSignature(request, bytes!, clock, out var timestampMs, out var signedBytes, out var signature) is { } badSignature)
        {
            return badSignature;
        }

        var (body, parseError) = JsonBody.Parse<WalletRevocationRequest>(bytes!, ApiJson.Options);
        if (parseError is not null)
        {
            return parseError;
        }

        if ((RequestValidation.CredentialId(body!.CredentialId, out var target) ?? RequestValidation.Reason(body.Reason)) is { } invalid)
        {
            return invalid;
        }

        var outcome = await grains.GetGrain<ICitizenGrain>(handle).RevokeCredentialByDevice(
            new DeviceSignedRequest(signerId, timestampMs, signedBytes, signature), target, body.Reason!);
        return outcome.Succeeded ? TypedResults.NoContent() : ApiErrors.FromCode(outcome.Error!);
    }

    private static ProblemHttpResult? SignatureProblem(HttpRequest request, byte[] body, ECDsa key, TimeProvider clock, out long timestampMs)
    {
        if (ReadSignature(request, body, clock, out timestampMs, out var signedBytes, out var signature) is { } problem)
        {
            return problem;
        }

        return DeviceRequestSignature.Verify(key, signedBytes, signature)
            ? null
            : ApiErrors.Unauthorized("device_signature_invalid", "The device signature does not verify.");
    }

    private static ProblemHttpResult? ReadSignature(
        HttpRequest request, byte[] body, TimeProvider clock, out long timestampMs, out byte[] signedBytes, out byte[] signature)
    {
        signedBytes = signature = [];
        if (!long.TryParse(request.Headers[DeviceRequestSignature.TimestampHeader], NumberStyles.None, CultureInfo.InvariantCulture, out timestampMs)
            || !Base64Url.TryDecode(request.Headers[DeviceRequestSignature.SignatureHeader], out signature))
        {
            return ApiErrors.Unauthorized("device_signature_invalid",
                $"Wallet requests carry {DeviceRequestSignature.TimestampHeader} and {DeviceRequestSignature.SignatureHeader}.");
        }

        if (Math.Abs(clock.GetUtcNow().ToUnixTimeMilliseconds() - timestampMs) > DeviceRequestSignature.MaxClockSkew.TotalMilliseconds)
        {
            return ApiErrors.Unauthorized("device_request_replayed", "The signed timestamp is too far from the service's clock.");
        }

        signedBytes = DeviceRequestSignature.SignedBytes(request.Method, request.Path.Value ?? "/", timestampMs, body);
        return null;
    }

    private static PresentationKeyResponse Describe(PresentationKeyRing keys) =>
        new(keys.CurrentKeyId, ProtocolConstants.SuiteP256, Base64Url.Encode(keys.CurrentPublicKey));
}
