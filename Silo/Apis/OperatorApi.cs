using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Citizens;
using NationalId.Errors;
using NationalId.History;
using NationalId.Protocol;
using NationalId.RelyingParties;

namespace NationalId.Silo.Apis;

/// <summary>
/// Ministry operators and counter officers: enrollment, RP registration, activation codes, lost-phone actions at a
/// counter or hotline, identity lock, and reading a citizen's history with a stated reason.
/// </summary>
public static class OperatorApi
{
    private static readonly Dictionary<string, Sector> Sectors =
        Enum.GetValues<Sector>().ToDictionary(ApiJson.Name, s => s, StringComparer.Ordinal);

    /// <summary>Maps onto the operator group (/v1/operator), whose policy admits operators only (<see cref="GatewayPolicies"/>).</summary>
    public static RouteGroupBuilder MapOperatorApi(this RouteGroupBuilder api)
    {
        api.MapPost("/citizens", EnrollCitizen).Accepts<EnrollCitizenRequest>("application/json");
        api.MapPost("/citizens/lookup", LookupCitizen).Accepts<CitizenRequest>("application/json");
        api.MapPost("/citizens/activation-codes", IssueActivationCode).Accepts<CitizenRequest>("application/json");
        api.MapPost("/citizens/credentials/{action}", ChangeCredentialAtCounter).Accepts<CounterCredentialRequest>("application/json");
        api.MapPost("/citizens/lock", LockAtCounter).Accepts<CounterLockRequest>("application/json");
        api.MapPost("/citizens/unlock", UnlockAtCounter).Accepts<CounterLockRequest>("application/json");
        api.MapPost("/citizens/residence", RegisterResidenceAtCounter).Accepts<CounterResidenceRequest>("application/json");
        api.MapPost("/citizens/history", ReadHistory).Accepts<OperatorHistoryRequest>("application/json");
        api.MapPost("/relying-parties", RegisterRelyingParty).Accepts<RegisterRelyingPartyRequest>("application/json");
        api.MapGet("/relying-parties/{relyingPartyId}", GetRelyingParty);
        api.MapPost("/relying-parties/{relyingPartyId}/suspend", SuspendRelyingParty).Accepts<RelyingPartyStatusRequest>("application/json");
        api.MapPost("/relying-parties/{relyingPartyId}/resume", ResumeRelyingParty).Accepts<RelyingPartyStatusRequest>("application/json");
        api.MapPost("/relying-parties/{relyingPartyId}/keys", AddRelyingPartyKey);
        api.MapPost("/relying-parties/{relyingPartyId}/keys/retire", RetireRelyingPartyKeys);
        api.MapCaptureVendorApi();
        return api;
    }

    public static async Task<Results<Created<EnrollCitizenResponse>, ProblemHttpResult>> EnrollCitizen(
        HttpRequest request, IGrainFactory grains, CitizenHandles handles, TimeProvider clock)
    {
        var (body, error) = await JsonBody.ReadAsync<EnrollCitizenRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (RequestValidation.IdNumber(body!.IdNumber, out var idNumber) is { } badId)
        {
            return badId;
        }

        if (string.IsNullOrWhiteSpace(body.Name))
        {
            return ApiErrors.Problem(ErrorCodes.InvalidName, "A name of 1 to 100 characters is required.");
        }

        if (RequestValidation.Text("name", body.Name, FreeText.MaxName) is { } badName)
        {
            return badName;
        }

        if (body.Face is null)
        {
            return ApiErrors.Problem(ErrorCodes.FaceTemplateInvalid, "Enrollment needs a reference face.");
        }

        if (RequestValidation.Face(body.Face, out var face) is { } badFace)
        {
            return badFace;
        }

        if (body.ResidenceProvince is not null && RequestValidation.Province(body.ResidenceProvince) is { } badProvince)
        {
            return badProvince;
        }

        var outcome = await grains.GetGrain<ICitizenGrain>(handles.For(idNumber))
            .Enroll(new CitizenEnrollment(idNumber.Value, body.Name.Trim(), face!, body.ResidenceProvince));
        if (!outcome.Succeeded)
        {
            return ApiErrors.FromCode(outcome.Error!);
        }

        return TypedResults.Created((string?)null, new EnrollCitizenResponse(idNumber.ProvinceCode, clock.GetUtcNow()));
    }

    public static async Task<Results<Ok<CitizenView>, ProblemHttpResult>> LookupCitizen(
        HttpRequest request, IGrainFactory grains, CitizenHandles handles)
    {
        var (body, error) = await JsonBody.ReadAsync<CitizenRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (RequestValidation.IdNumber(body!.IdNumber, out var idNumber) is { } badId)
        {
            return badId;
        }

        var summary = await grains.GetGrain<ICitizenGrain>(handles.For(idNumber)).GetSummary();
        if (!summary.Enrolled)
        {
            return ApiErrors.FromCode(ErrorCodes.CitizenNotFound);
        }

        return TypedResults.Ok(new CitizenView(summary.HomeProvince!, summary.Credentials.Select(ToView).ToList(), summary.Locked));
    }

    public static async Task<Results<Created<ActivationCodeResponse>, ProblemHttpResult>> IssueActivationCode(
        HttpRequest request, IGrainFactory grains, CitizenHandles handles)
    {
        var (body, error) = await JsonBody.ReadAsync<CitizenRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (RequestValidation.IdNumber(body!.IdNumber, out var idNumber) is { } badId)
        {
            return badId;
        }

        var code = await grains.GetGrain<ICitizenGrain>(handles.For(idNumber)).IssueActivationCode();
        return code.Error is not null
            ? ApiErrors.FromCode(code.Error)
            : TypedResults.Created((string?)null, new ActivationCodeResponse(code.Code!, code.ExpiresAt));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ChangeCredentialAtCounter(
        string action, HttpRequest request, IGrainFactory grains, CitizenHandles handles)
    {
        if (!WalletApi.CredentialActions.TryGetValue(action, out var credentialAction))
        {
            return ApiErrors.Problem(ErrorCodes.UnknownAction, "Credential actions are suspend, resume and revoke.");
        }

        var (body, error) = await JsonBody.ReadAsync<CounterCredentialRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (RequestValidation.IdNumber(body!.IdNumber, out var idNumber) is { } badId)
        {
            return badId;
        }

        if (ApiErrors.FirstOf(RequestValidation.CredentialId(body.CredentialId, out var credentialId), RequestValidation.Reason(body.Reason), RequestValidation.Face(body.Face, out var face), Channel(body.Channel, out var channel)) is { } invalid)
        {
            return invalid;
        }

        var outcome = await grains.GetGrain<ICitizenGrain>(handles.For(idNumber))
            .ChangeCredential(new CredentialChange(credentialId, credentialAction, channel, body.Reason!, null, face));
        return outcome.Succeeded ? TypedResults.NoContent() : ApiErrors.FromCode(outcome.Error!);
    }

    public static Task<Results<NoContent, ProblemHttpResult>> LockAtCounter(HttpRequest request, IGrainFactory grains, CitizenHandles handles) =>
        SetLocked(true, request, grains, handles);

    public static Task<Results<NoContent, ProblemHttpResult>> UnlockAtCounter(HttpRequest request, IGrainFactory grains, CitizenHandles handles) =>
        SetLocked(false, request, grains, handles);

    public static async Task<Results<Ok<HistoryPageView>, ProblemHttpResult>> ReadHistory(
        HttpRequest request, IGrainFactory grains, CitizenHandles handles, RelyingPartyDirectory directory)
    {
        var (body, error) = await JsonBody.ReadAsync<OperatorHistoryRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (RequestValidation.IdNumber(body!.IdNumber, out var idNumber) is { } badId)
        {
            return badId;
        }

        if (ApiErrors.FirstOf(RequestValidation.Reason(body.Reason), HistoryViews.Cursor(body.Before, out var cursor)) is { } invalid)
        {
            return invalid;
        }

        var limit = body.Limit ?? 50;
        var page = await grains.GetGrain<ICitizenGrain>(handles.For(idNumber)).ReadHistory(new HistoryQuery(null, body.Reason, cursor, limit));
        return page.Error is not null ? ApiErrors.FromCode(page.Error) : TypedResults.Ok(await HistoryViews.ToView(page, limit, directory));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetLocked(bool locked, HttpRequest request, IGrainFactory grains, CitizenHandles handles)
    {
        var (body, error) = await JsonBody.ReadAsync<CounterLockRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (RequestValidation.IdNumber(body!.IdNumber, out var idNumber) is { } badId)
        {
            return badId;
        }

        if (ApiErrors.FirstOf(RequestValidation.Reason(body.Reason), RequestValidation.Face(body.Face, out var face), Channel(body.Channel, out var channel)) is { } invalid)
        {
            return invalid;
        }

        var outcome = await grains.GetGrain<ICitizenGrain>(handles.For(idNumber)).SetLocked(new IdentityLockChange(locked, channel, body.Reason!, null, face));
        return outcome.Succeeded ? TypedResults.NoContent() : ApiErrors.FromCode(outcome.Error!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RegisterResidenceAtCounter(HttpRequest request, IGrainFactory grains, CitizenHandles handles)
    {
        var (body, error) = await JsonBody.ReadAsync<CounterResidenceRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (RequestValidation.IdNumber(body!.IdNumber, out var idNumber) is { } badId)
        {
            return badId;
        }

        if (ApiErrors.FirstOf(RequestValidation.Province(body.Province), RequestValidation.Face(body.Face, out var face)) is { } invalid)
        {
            return invalid;
        }

        if (face is null)
        {
            return ApiErrors.Problem(ErrorCodes.FaceRequired, "A counter registers a residence after a live face match: send 'face'.");
        }

        var outcome = await grains.GetGrain<ICitizenGrain>(handles.For(idNumber))
            .RegisterResidence(new ResidenceChange(body.Province!, ActionChannel.Counter, null, face));
        return outcome.Succeeded ? TypedResults.NoContent() : ApiErrors.FromCode(outcome.Error!);
    }

    internal static ProblemHttpResult? Channel(string? text, out ActionChannel channel)
    {
        channel = text switch
        {
            null or "counter" => ActionChannel.Counter,
            "hotline" => ActionChannel.Hotline,
            _ => ActionChannel.Device,
        };
        return channel == ActionChannel.Device
            ? ApiErrors.Problem(ErrorCodes.InvalidChannel, "Operators act through the \"counter\" or the \"hotline\" channel.")
            : null;
    }

    public static async Task<Results<Created<RegisterRelyingPartyResponse>, ProblemHttpResult>> RegisterRelyingParty(
        HttpRequest request, IGrainFactory grains)
    {
        var (body, error) = await JsonBody.ReadAsync<RegisterRelyingPartyRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (string.IsNullOrWhiteSpace(body!.LegalName))
        {
            return ApiErrors.Problem(ErrorCodes.InvalidName, "A legal name of 1 to 200 characters is required.");
        }

        if (RequestValidation.Text("legalName", body.LegalName, FreeText.MaxLegalName) is { } badName)
        {
            return badName;
        }

        if (!Sectors.TryGetValue(body.Sector ?? string.Empty, out var sector))
        {
            return ApiErrors.Problem(ErrorCodes.InvalidSector, "Sector is one of hotel, rail, bank, government, telecom, other.");
        }

        if (RequestValidation.Province(body.Province) is { } badProvince)
        {
            return badProvince;
        }

        if (body.Scopes is not { Length: > 0 } || body.Scopes.Any(s => !ScopeCatalog.TryGet(s, out _)))
        {
            return ApiErrors.Problem(ErrorCodes.InvalidScope, "Scopes must be names from the national catalogue (docs/reference/api.md).");
        }

        if (body.RateLimitPerSecond is < 1 or > 1_000_000 || body.DailyQuota is < 1)
        {
            return ApiErrors.Problem(ErrorCodes.InvalidLimit, "'rateLimitPerSecond' is 1 to 1,000,000 and 'dailyQuota' at least 1 (leave them out for the defaults).");
        }

        var relyingPartyId = ApiKeys.NewRelyingPartyId(body.Province!);
        var (key, hash) = ApiKeys.NewKey(relyingPartyId);
        var outcome = await grains.GetGrain<IRelyingPartyGrain>(relyingPartyId)
            .Register(new RelyingPartyRegistration(body.LegalName.Trim(), sector, body.Province!, body.Scopes, hash,
                body.RateLimitPerSecond ?? 0, body.DailyQuota ?? 0, body.SignedRequests ?? false));
        if (!outcome.Succeeded)
        {
            return ApiErrors.FromCode(outcome.Error!);
        }

        return TypedResults.Created($"/v1/operator/relying-parties/{relyingPartyId}", new RegisterRelyingPartyResponse(relyingPartyId, key, body.Scopes));
    }

    public static async Task<Results<Ok<RelyingPartyView>, ProblemHttpResult>> GetRelyingParty(string relyingPartyId, IGrainFactory grains)
    {
        if (!ApiKeys.IsRelyingPartyId(relyingPartyId))
        {
            return ApiErrors.Problem(ErrorCodes.RelyingPartyNotFound, "No such relying party.");
        }

        var policy = await grains.GetGrain<IRelyingPartyGrain>(relyingPartyId).GetPolicy();
        if (policy is null)
        {
            return ApiErrors.Problem(ErrorCodes.RelyingPartyNotFound, "No such relying party.");
        }

        return TypedResults.Ok(new RelyingPartyView(
            policy.RelyingPartyId,
            policy.LegalName,
            ApiJson.Name(policy.Sector),
            policy.Province,
            ApiJson.Name(policy.Status),
            policy.Scopes.Select(s => new ScopeView(s.Name, s.Attributes, s.MatchAttributes, s.FaceRequired, ApiJson.Name(s.MinimumAssurance), s.InPersonAllowed)).ToList()));
    }

    /// <summary>Key rotation, step 1: a new key, shown once; the previous key keeps working until step 2.</summary>
    public static async Task<Results<Created<RegisterRelyingPartyResponse>, ProblemHttpResult>> AddRelyingPartyKey(
        string relyingPartyId, IGrainFactory grains, RelyingPartyDirectory directory)
    {
        if (!ApiKeys.IsRelyingPartyId(relyingPartyId))
        {
            return ApiErrors.Problem(ErrorCodes.RelyingPartyNotFound, "No such relying party.");
        }

        var (key, hash) = ApiKeys.NewKey(relyingPartyId);
        var grain = grains.GetGrain<IRelyingPartyGrain>(relyingPartyId);
        var outcome = await grain.AddKey(hash);
        if (!outcome.Succeeded)
        {
            return ApiErrors.FromCode(outcome.Error!);
        }

        directory.Invalidate(relyingPartyId); // this silo at once; the others through the change stream
        return TypedResults.Created((string?)null, new RegisterRelyingPartyResponse(relyingPartyId, key, [.. (await grain.GetPolicy())!.Scopes.Select(s => s.Name)]));
    }

    /// <summary>Key rotation, step 2: only the newest key works from now on.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RetireRelyingPartyKeys(string relyingPartyId, IGrainFactory grains, RelyingPartyDirectory directory)
    {
        if (!ApiKeys.IsRelyingPartyId(relyingPartyId))
        {
            return ApiErrors.Problem(ErrorCodes.RelyingPartyNotFound, "No such relying party.");
        }

        var outcome = await grains.GetGrain<IRelyingPartyGrain>(relyingPartyId).RetireOldKeys();
        if (!outcome.Succeeded)
        {
            return ApiErrors.FromCode(outcome.Error!);
        }

        directory.Invalidate(relyingPartyId);
        return TypedResults.NoContent();
    }

    public static Task<Results<NoContent, ProblemHttpResult>> SuspendRelyingParty(
        string relyingPartyId, HttpRequest request, IGrainFactory grains, RelyingPartyDirectory directory) =>
        SetStatus(relyingPartyId, RelyingPartyStatus.Suspended, request, grains, directory);

    public static Task<Results<NoContent, ProblemHttpResult>> ResumeRelyingParty(
        string relyingPartyId, HttpRequest request, IGrainFactory grains, RelyingPartyDirectory directory) =>
        SetStatus(relyingPartyId, RelyingPartyStatus.Active, request, grains, directory);

    private static async Task<Results<NoContent, ProblemHttpResult>> SetStatus(
        string relyingPartyId, RelyingPartyStatus status, HttpRequest request, IGrainFactory grains, RelyingPartyDirectory directory)
    {
        var (body, error) = await JsonBody.ReadAsync<RelyingPartyStatusRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (RequestValidation.Reason(body!.Reason) is { } badReason)
        {
            return badReason;
        }

        if (!ApiKeys.IsRelyingPartyId(relyingPartyId))
        {
            return ApiErrors.Problem(ErrorCodes.RelyingPartyNotFound, "No such relying party.");
        }

        OperationOutcome outcome;
        try
        {
            outcome = await grains.GetGrain<IRelyingPartyGrain>(relyingPartyId).SetStatus(status, body.Reason!);
        }
        finally
        {
            // Even if telling the other silos failed after the change was stored, this silo stops serving the old one.
            directory.Invalidate(relyingPartyId);
        }

        return outcome.Succeeded ? TypedResults.NoContent() : ApiErrors.FromCode(outcome.Error!);
    }

    internal static CredentialView ToView(CredentialSummary c) => new(
        Base64Url.Encode(c.CredentialId),
        ApiJson.Name(c.Status),
        ApiJson.Name(c.Assurance),
        c.BoundAt,
        c.DeviceLabel,
        c.StatusChangedAt,
        c.StatusReason,
        c.ProvisionalUntil);
}
