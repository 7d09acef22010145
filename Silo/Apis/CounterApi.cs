using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Cards;
using NationalId.Citizens;
using NationalId.Errors;
using NationalId.IdNumbers;
using NationalId.RelyingParties;

namespace NationalId.Silo.Apis;

/// <summary>
/// Serving people without a smartphone (docs/guides/counter.md): printed cards issued and revoked at a counter, and mandates
/// (delegation, guardianship of minors) granted and ended at a counter or from the principal's phone.
/// </summary>
public static class CounterApi
{
    /// <summary>Counter routes onto the operator group, the principal's phone routes onto the wallet group.</summary>
    public static RouteGroupBuilder MapCounterApi(this RouteGroupBuilder counter, RouteGroupBuilder wallet)
    {
        counter.MapPost("/cards", IssueCard).Accepts<IssueCardRequest>("application/json");
        counter.MapPost("/cards/revoke", RevokeCard).Accepts<RevokeCardRequest>("application/json");
        counter.MapPost("/mandates", GrantAtCounter).Accepts<CounterMandateRequest>("application/json");
        counter.MapPost("/mandates/revoke", RevokeAtCounter).Accepts<CounterMandateRevokeRequest>("application/json");

        wallet.MapPost("/mandates", GrantFromPhone).Accepts<WalletMandateRequest>("application/json");
        wallet.MapGet("/mandates", ListFromPhone);
        wallet.MapPost("/mandates/revoke", RevokeFromPhone).Accepts<WalletMandateRevokeRequest>("application/json");
        return counter;
    }

    public static async Task<Results<Created<IssueCardResponse>, ProblemHttpResult>> IssueCard(
        HttpRequest request, IGrainFactory grains, CitizenHandles handles, CardSealer cards, IConfiguration configuration)
    {
        var (body, error) = await JsonBody.ReadAsync<IssueCardRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (ApiErrors.FirstOf(RequestValidation.IdNumber(body!.IdNumber, out var idNumber), RequestValidation.Face(body.Face, out var face)) is { } invalid)
        {
            return invalid;
        }

        if (face is null)
        {
            return ApiErrors.Problem(ErrorCodes.FaceRequired, "A card is printed after a live face match: send 'face'.");
        }

        var validity = configuration.GetValue($"{NationalIdOptions.Section}:CardValidity", TimeSpan.FromDays((5 * 365) + 1));
        var handle = handles.For(idNumber);
        var issued = await grains.GetGrain<ICitizenGrain>(handle).IssueCard(new CardIssue(face, validity));
        return issued.Error is not null
            ? ApiErrors.FromCode(issued.Error)
            : TypedResults.Created((string?)null, new IssueCardResponse(cards.Seal(issued.CardId!, handle), issued.ExpiresAt));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeCard(HttpRequest request, IGrainFactory grains, CitizenHandles handles)
    {
        var (body, error) = await JsonBody.ReadAsync<RevokeCardRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (ApiErrors.FirstOf(
                RequestValidation.IdNumber(body!.IdNumber, out var idNumber),
                RequestValidation.Reason(body.Reason),
                RequestValidation.Face(body.Face, out var face),
                OperatorApi.Channel(body.Channel, out var channel)) is { } invalid)
        {
            return invalid;
        }

        var outcome = await grains.GetGrain<ICitizenGrain>(handles.For(idNumber)).RevokeCard(new CardRevocation(channel, body.Reason!, face));
        return outcome.Succeeded ? TypedResults.NoContent() : ApiErrors.FromCode(outcome.Error!);
    }

    public static async Task<Results<Created<MandateResponse>, ProblemHttpResult>> GrantAtCounter(
        HttpRequest request, IGrainFactory grains, CitizenHandles handles, TimeProvider clock)
    {
        var (body, error) = await JsonBody.ReadAsync<CounterMandateRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (ApiErrors.FirstOf(
                RequestValidation.IdNumber(body!.PrincipalIdNumber, out var principal, "principalIdNumber"),
                RequestValidation.IdNumber(body.DelegateIdNumber, out var delegateId, "delegateIdNumber"),
                Scopes(body.Scopes),
                RequestValidation.Face(body.Face, out var face)) is { } invalid)
        {
            return invalid;
        }

        var kind = body.Kind switch
        {
            null or "mandate" => MandateKind.Mandate,
            "guardianship" => MandateKind.Guardianship,
            _ => (MandateKind?)null,
        };
        if (kind is null)
        {
            return ApiErrors.Problem(ErrorCodes.InvalidMandateKind, "'kind' is \"mandate\" (the default) or \"guardianship\".");
        }

        if (face is null)
        {
            return ApiErrors.Problem(ErrorCodes.FaceRequired, "A counter grants a mandate after a live face match: the principal's, or the guardian's for a guardianship.");
        }

        if (AdultProblem(delegateId, clock) is { } minor)
        {
            return minor;
        }

        var delegateHandle = handles.For(delegateId);
        if (await DelegateProblem(grains, delegateHandle) is { } missing)
        {
            return missing;
        }

        if (kind == MandateKind.Guardianship && await grains.GetGrain<ICitizenGrain>(delegateHandle).MatchFace(face) is { } guardianFace)
        {
            return ApiErrors.FromCode(guardianFace);
        }

        var result = await grains.GetGrain<ICitizenGrain>(handles.For(principal)).GrantMandate(new MandateGrant(
            delegateHandle, body.Scopes!, body.ValidFrom ?? clock.GetUtcNow(), body.ValidUntil, kind.Value, ActionChannel.Counter, null,
            kind == MandateKind.Mandate ? face : null));
        return Granted(result, clock);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAtCounter(HttpRequest request, IGrainFactory grains, CitizenHandles handles)
    {
        var (body, error) = await JsonBody.ReadAsync<CounterMandateRevokeRequest>(request, ApiJson.Options);
        if (error is not null)
        {
            return error;
        }

        if (ApiErrors.FirstOf(
                RequestValidation.IdNumber(body!.PrincipalIdNumber, out var principal, "principalIdNumber"),
                MandateId(body.MandateId),
                RequestValidation.Reason(body.Reason),
                RequestValidation.Face(body.Face, out var face)) is { } invalid)
        {
            return invalid;
        }

        if (face is null)
        {
            return ApiErrors.Problem(ErrorCodes.FaceRequired, "A counter ends a mandate after a live face match.");
        }

        string? guardian = null;
        if (body.GuardianIdNumber is not null)
        {
            if (RequestValidation.IdNumber(body.GuardianIdNumber, out var guardianId, "guardianIdNumber") is { } badGuardian)
            {
                return badGuardian;
            }

            guardian = handles.For(guardianId);
            if (await grains.GetGrain<ICitizenGrain>(guardian).MatchFace(face) is { } guardianFace)
            {
                return ApiErrors.FromCode(guardianFace);
            }
        }

        var outcome = await grains.GetGrain<ICitizenGrain>(handles.For(principal)).RevokeMandate(
            new MandateRevocation(body.MandateId!, body.Reason!, ActionChannel.Counter, null, guardian is null ? face : null, guardian));
        return outcome.Succeeded ? TypedResults.NoContent() : ApiErrors.FromCode(outcome.Error!);
    }

    public static async Task<Results<Created<MandateResponse>, ProblemHttpResult>> GrantFromPhone(
        HttpRequest request, IGrainFactory grains, CitizenHandles handles, TimeProvider clock)
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

        var (body, parseError) = JsonBody.Parse<WalletMandateRequest>(bytes!, ApiJson.Options);
        if (parseError is not null)
        {
            return parseError;
        }

        if (ApiErrors.FirstOf(
                RequestValidation.IdNumber(body!.DelegateIdNumber, out var delegateId, "delegateIdNumber"),
                Scopes(body.Scopes),
                RequestValidation.Face(body.Face, out var face)) is { } invalid)
        {
            return invalid;
        }

        // The phone's signature before anything about the delegate: an unsigned caller learns nothing, not even
        // whether an ID number is enrolled.
        if (await grains.GetGrain<ICitizenGrain>(handle).CheckDevice(signed) is { } deviceProblem)
        {
            return ApiErrors.FromCode(deviceProblem);
        }

        if (AdultProblem(delegateId, clock) is { } minor)
        {
            return minor;
        }

        // Whether the delegate is enrolled is the grain's to tell, after the principal's face matched.
        var delegateHandle = handles.For(delegateId);

        var result = await grains.GetGrain<ICitizenGrain>(handle).GrantMandate(new MandateGrant(
            delegateHandle, body.Scopes!, body.ValidFrom ?? clock.GetUtcNow(), body.ValidUntil, MandateKind.Mandate, ActionChannel.Device, signed, face));
        return Granted(result, clock);
    }

    public static async Task<Results<Ok<MandateListResponse>, ProblemHttpResult>> ListFromPhone(HttpRequest request, IGrainFactory grains, TimeProvider clock)
    {
        if (DeviceAuthentication.Read(request, [], clock, out var handle, out var signed) is { } unsigned)
        {
            return unsigned;
        }

        var result = await grains.GetGrain<ICitizenGrain>(handle).ListMandates(signed);
        return result.Error is not null ? ApiErrors.FromCode(result.Error) : TypedResults.Ok(new MandateListResponse([.. result.Mandates.Select(m => View(m, clock))]));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeFromPhone(HttpRequest request, IGrainFactory grains, TimeProvider clock)
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

        var (body, parseError) = JsonBody.Parse<WalletMandateRevokeRequest>(bytes!, ApiJson.Options);
        if (parseError is not null)
        {
            return parseError;
        }

        if (ApiErrors.FirstOf(MandateId(body!.MandateId), RequestValidation.Reason(body.Reason)) is { } invalid)
        {
            return invalid;
        }

        var outcome = await grains.GetGrain<ICitizenGrain>(handle).RevokeMandate(new MandateRevocation(body.MandateId!, body.Reason!, ActionChannel.Device, signed, null));
        return outcome.Succeeded ? TypedResults.NoContent() : ApiErrors.FromCode(outcome.Error!);
    }

    private static async Task<ProblemHttpResult?> DelegateProblem(IGrainFactory grains, string delegateHandle) =>
        (await grains.GetGrain<ICitizenGrain>(delegateHandle).GetSummary()).Enrolled
            ? null
            : ApiErrors.Problem(ErrorCodes.DelegateNotFound, "The delegate must be an enrolled citizen.");

    /// <summary>Delegates and guardians are adults (18 or over on the day of the grant).</summary>
    private static ProblemHttpResult? AdultProblem(ResidentIdNumber delegateId, TimeProvider clock) =>
        delegateId.BirthDate.AddYears(18) <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)
            ? null
            : ApiErrors.Problem(ErrorCodes.DelegateIsAMinor, "A delegate or guardian must be 18 or over.");

    private static ProblemHttpResult? Scopes(string[]? scopes) =>
        scopes is { Length: > 0 and <= 20 } && scopes.All(s => ScopeCatalog.TryGet(s, out _))
            ? null
            : ApiErrors.Problem(ErrorCodes.InvalidScope, "'scopes' lists 1 to 20 scopes of the national catalogue (docs/reference/api.md).");

    private static ProblemHttpResult? MandateId(string? id) =>
        id is { Length: 18 } && id.StartsWith("m-", StringComparison.Ordinal)
            ? null
            : ApiErrors.Problem(ErrorCodes.InvalidMandateId, "'mandateId' is the id given when the mandate was granted (\"m-\" and 16 characters).");

    private static Results<Created<MandateResponse>, ProblemHttpResult> Granted(MandateResult result, TimeProvider clock) =>
        result.Error is not null ? ApiErrors.FromCode(result.Error) : TypedResults.Created((string?)null, View(result.Mandates[0], clock));

    /// <summary>Status: revoked, expired (past its end), pending (not yet begun) or active.</summary>
    private static MandateResponse View(MandateView m, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var status = m.Revoked ? "revoked" : m.ValidUntil <= now ? "expired" : m.ValidFrom > now ? "pending" : "active";
        return new(m.MandateId, ApiJson.Name(m.Kind), m.Scopes, m.ValidFrom, m.ValidUntil, status, m.GrantedAt);
    }
}
