using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Capture;
using NationalId.Errors;
using NationalId.Protocol;

namespace NationalId.Silo.Apis;

/// <summary>
/// Operators' list of certified capture-SDK vendors (docs/reference/api.md, Capture vendors): register one, revoke one, list
/// them. Mapped inside the operator group, so the operator check is the group's.
/// </summary>
public static class CaptureVendorApi
{
    public static RouteGroupBuilder MapCaptureVendorApi(this RouteGroupBuilder operatorApi)
    {
        operatorApi.MapGet("/capture-vendors", List);
        operatorApi.MapPost("/capture-vendors", Register).Accepts<RegisterCaptureVendorRequest>("application/json");
        operatorApi.MapPost("/capture-vendors/{vendorId}/revoke", Revoke).Accepts<CaptureVendorRevocationRequest>("application/json");
        return operatorApi;
    }

    public static async Task<Ok<CaptureVendorResponse[]>> List(IGrainFactory grains)
    {
        var vendors = await Registry(grains).List();
        return TypedResults.Ok(vendors.Select(ToView).ToArray());
    }

    public static async Task<Results<Created<CaptureVendorResponse>, ProblemHttpResult>> Register(
        HttpRequest request, IGrainFactory grains, CaptureVendorDirectory directory)
    {
        var (body, error) = await JsonBody.ReadAsync<RegisterCaptureVendorRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (!CaptureStatement.IsVendorId(body!.VendorId))
        {
            return ApiErrors.Problem(ErrorCodes.InvalidVendorId, "A vendor id is 2 to 32 of a-z, 0-9 and '-', not starting with '-'.");
        }

        if (string.IsNullOrWhiteSpace(body.Name))
        {
            return ApiErrors.Problem(ErrorCodes.InvalidName, "A vendor needs a name.");
        }

        if (RequestValidation.Text("name", body.Name, FreeText.MaxReason) is { } badName)
        {
            return badName;
        }

        if (!Base64Url.TryDecode(body.PublicKey, out var publicKey) || !IsCurvePoint(publicKey))
        {
            return ApiErrors.Problem(ErrorCodes.InvalidPublicKey, "The vendor key must be a P-256 point, 65 bytes 0x04‖X‖Y in base64url.");
        }

        var outcome = await Registry(grains).Register(new CaptureVendorRegistration(body.VendorId!, body.Name, publicKey));
        if (!outcome.Succeeded)
        {
            return ApiErrors.FromCode(outcome.Error!);
        }

        directory.Invalidate();
        var registered = (await Registry(grains).List()).First(v => v.VendorId == body.VendorId);
        return TypedResults.Created((string?)null, ToView(registered));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(
        string vendorId, HttpRequest request, IGrainFactory grains, CaptureVendorDirectory directory)
    {
        var (body, error) = await JsonBody.ReadAsync<CaptureVendorRevocationRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (RequestValidation.Reason(body!.Reason) is { } badReason)
        {
            return badReason;
        }

        if (!CaptureStatement.IsVendorId(vendorId))
        {
            return ApiErrors.Problem(ErrorCodes.CaptureVendorNotFound, "No such capture vendor.");
        }

        var outcome = await Registry(grains).Revoke(vendorId, body.Reason!);
        if (!outcome.Succeeded)
        {
            return ApiErrors.FromCode(outcome.Error!);
        }

        directory.Invalidate(); // in force on this silo now, on the others within CaptureVendorRefresh
        return TypedResults.NoContent();
    }

    private static ICaptureVendorRegistryGrain Registry(IGrainFactory grains) =>
        grains.GetGrain<ICaptureVendorRegistryGrain>(ICaptureVendorRegistryGrain.Key);

    private static bool IsCurvePoint(byte[] bytes)
    {
        if (!PresentationCodec.TryDecodePoint(bytes, out var parameters))
        {
            return false;
        }

        try
        {
            using var key = System.Security.Cryptography.ECDsa.Create(parameters);
            return true;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    private static CaptureVendorResponse ToView(CaptureVendorView v) => new(
        v.VendorId, v.Name, Base64Url.Encode(v.PublicKey), v.RegisteredAt, v.RevokedAt, v.RevokedReason, v.Source);
}
