using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Citizens;
using NationalId.Errors;
using NationalId.History;
using NationalId.Protocol;
using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Silo.Apis;

/// <summary>
/// The citizen's wallet app: activation, lost-phone actions, identity lock and the citizen's own history; every
/// request is signed by a device key.
/// </summary>
public static class WalletApi
{
    /// <summary>Maps onto the wallet group (/v1/wallet): open at the group, each request proves its device key.</summary>
    public static RouteGroupBuilder MapWalletApi(this RouteGroupBuilder api)
    {
        api.MapGet("/presentation-key", GetPresentationKey);
        api.MapPost("/capture-challenges", IssueCaptureChallenge);
        api.MapPost("/activations", Activate).Accepts<ActivationRequest>("application/json");
        api.MapPost("/credentials/{action}", ChangeCredential).Accepts<WalletCredentialRequest>("application/json");
        api.MapPost("/lock", Lock).Accepts<WalletLockRequest>("application/json");
        api.MapPost("/unlock", Unlock).Accepts<WalletLockRequest>("application/json");
        api.MapPost("/residence", RegisterResidence).Accepts<WalletResidenceRequest>("application/json");
        api.MapGet("/history", History);
        return api;
    }

    public static Ok<PresentationKeyResponse> GetPresentationKey(PresentationKeyRing keys) => TypedResults.Ok(Describe(keys));

    /// <summary>
    /// A fresh challenge for the capture SDK to sign into its attestation of a remote face (docs/reference/protocol.md §4.1).
    /// Stateless: no activation, no storage, nothing about any citizen.
    /// </summary>
    public static Created<CaptureChallengeResponse> IssueCaptureChallenge(Capture.CaptureChallenges challenges, TimeProvider clock)
    {
        var (challenge, expiresAt) = challenges.Issue(clock.GetUtcNow());
        return TypedResults.Created((string?)null, new CaptureChallengeResponse(Base64Url.Encode(challenge), expiresAt));
    }

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
            return ApiErrors.Problem(ErrorCodes.InvalidPublicKey, "The public key must be a P-256 point, 65 bytes 0x04‖X‖Y in base64url.");
        }

        ECDsa deviceKey;
        try
        {
            deviceKey = ECDsa.Create(parameters);
        }
        catch (CryptographicException)
        {
            return ApiErrors.Problem(ErrorCodes.InvalidPublicKey, "The public key is not a point on P-256.");
        }

        using (deviceKey)
        {
            // Proof of possession: the activation itself is signed with the key being bound.
            if (DeviceAuthentication.ReadSignature(request, bytes!, clock, out _, out var signedBytes, out var signature) is { } badSignature)
            {
                return badSignature;
            }

            if (!DeviceRequestSignature.Verify(deviceKey, signedBytes, signature))
            {
                return ApiErrors.Problem(ErrorCodes.DeviceSignatureInvalid, "The device signature does not verify.");
            }
        }

        if (ApiErrors.FirstOf(RequestValidation.Face(body.Face, out var face), RequestValidation.Capture(body.Face?.Capture, out var capture)) is { } badFace)
        {
            return badFace;
        }

        var activationCode = string.IsNullOrWhiteSpace(body.ActivationCode) ? null : body.ActivationCode.Trim();
        if (face is null && activationCode is null)
        {
            return ApiErrors.Problem(ErrorCodes.ProofRequired, "Activation needs a live face or a counter activation code.");
        }

        if (RequestValidation.Text("deviceLabel", body.DeviceLabel, FreeText.MaxDeviceLabel) is { } badLabel)
        {
            return badLabel;
        }

        var handle = handles.For(idNumber);
        var result = await grains.GetGrain<ICitizenGrain>(handle)
            .Activate(new DeviceActivation(publicKey, face, activationCode, body.DeviceLabel, capture));
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

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangeCredential(
        string action, HttpRequest request, IGrainFactory grains, TimeProvider clock)
    {
        if (!CredentialActions.TryGetValue(action, out var credentialAction))
        {
            return ApiErrors.Problem(ErrorCodes.UnknownAction, "Credential actions are suspend, resume and revoke.");
        }

        var (bytes, error) = await JsonBody.ReadBytesAsync(request);
        if (error is not null)
        {
            return error;
        }

        if (DeviceAuthentication.Read(request, bytes!, clock, out var handle, out var signed) is { } unsigned)
        {
            return unsigned;
        }

        var (body, parseError) = JsonBody.Parse<WalletCredentialRequest>(bytes!, ApiJson.Options);
        if (parseError is not null)
        {
            return parseError;
        }

        if (ApiErrors.FirstOf(RequestValidation.CredentialId(body!.CredentialId, out var target), RequestValidation.Reason(body.Reason), RequestValidation.Face(body.Face, out var face)) is { } invalid)
        {
            return invalid;
        }

        var outcome = await grains.GetGrain<ICitizenGrain>(handle).ChangeCredential(
            new CredentialChange(target, credentialAction, ActionChannel.Device, body.Reason!, signed, face));
        return outcome.Succeeded ? TypedResults.NoContent() : ApiErrors.FromCode(outcome.Error!);
    }

    public static Task<Results<NoContent, ProblemHttpResult>> Lock(HttpRequest request, IGrainFactory grains, TimeProvider clock) =>
        SetLocked(true, request, grains, clock);

    public static Task<Results<NoContent, ProblemHttpResult>> Unlock(HttpRequest request, IGrainFactory grains, TimeProvider clock) =>
        SetLocked(false, request, grains, clock);

    public static async Task<Results<Ok<HistoryPageView>, ProblemHttpResult>> History(
        HttpRequest request, IGrainFactory grains, RelyingPartyDirectory directory, TimeProvider clock, string? before = null, int? limit = null)
    {
        if (DeviceAuthentication.Read(request, [], clock, out var handle, out var signed) is { } unsigned)
        {
            return unsigned;
        }

        if (HistoryViews.Cursor(before, out var cursor) is { } badCursor)
        {
            return badCursor;
        }

        var page = await grains.GetGrain<ICitizenGrain>(handle).ReadHistory(new HistoryQuery(signed, null, cursor, limit ?? 50));
        return page.Error is not null ? ApiErrors.FromCode(page.Error) : TypedResults.Ok(await HistoryViews.ToView(page, limit ?? 50, directory));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RegisterResidence(HttpRequest request, IGrainFactory grains, TimeProvider clock)
    {
        var (bytes, error) = await JsonBody.ReadBytesAsync(request);
        if (error is not null)
        {
            return error;
        }

        if (DeviceAuthentication.Read(request, bytes!, clock, out var handle, out var signed) is { } unsigned)
        {
            return unsigned;
        }

        var (body, parseError) = JsonBody.Parse<WalletResidenceRequest>(bytes!, ApiJson.Options);
        if (parseError is not null)
        {
            return parseError;
        }

        if (RequestValidation.Province(body!.Province) is { } badProvince)
        {
            return badProvince;
        }

        var outcome = await grains.GetGrain<ICitizenGrain>(handle).RegisterResidence(new ResidenceChange(body.Province!, ActionChannel.Device, signed, null));
        return outcome.Succeeded ? TypedResults.NoContent() : ApiErrors.FromCode(outcome.Error!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetLocked(bool locked, HttpRequest request, IGrainFactory grains, TimeProvider clock)
    {
        var (bytes, error) = await JsonBody.ReadBytesAsync(request);
        if (error is not null)
        {
            return error;
        }

        if (DeviceAuthentication.Read(request, bytes!, clock, out var handle, out var signed) is { } unsigned)
        {
            return unsigned;
        }

        var (body, parseError) = JsonBody.Parse<WalletLockRequest>(bytes!, ApiJson.Options);
        if (parseError is not null)
        {
            return parseError;
        }

        if (ApiErrors.FirstOf(RequestValidation.Reason(body!.Reason), RequestValidation.Face(body.Face, out var face)) is { } invalid)
        {
            return invalid;
        }

        var outcome = await grains.GetGrain<ICitizenGrain>(handle).SetLocked(new IdentityLockChange(locked, ActionChannel.Device, body.Reason!, signed, face));
        return outcome.Succeeded ? TypedResults.NoContent() : ApiErrors.FromCode(outcome.Error!);
    }

    internal static readonly Dictionary<string, CredentialAction> CredentialActions = new(StringComparer.Ordinal)
    {
        ["suspend"] = CredentialAction.Suspend,
        ["resume"] = CredentialAction.Resume,
        ["revoke"] = CredentialAction.Revoke,
    };

    private static PresentationKeyResponse Describe(PresentationKeyRing keys) =>
        new(keys.Current.KeyId, keys.Current.Suite, Base64Url.Encode(keys.Current.PublicKey));
}
