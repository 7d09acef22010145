using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace NationalId.Silo.Apis;

/// <summary>
/// Every 4xx/5xx answer is RFC 9457 ProblemDetails with a stable machine-readable "code" (listed in docs/api.md).
/// </summary>
public static class ApiErrors
{
    public static ProblemHttpResult Problem(int status, string code, string detail)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = code,
            Detail = detail,
            Type = $"https://nationalid.example/errors/{code}",
        };
        problem.Extensions["code"] = code;
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult BadRequest(string code, string detail) => Problem(StatusCodes.Status400BadRequest, code, detail);

    public static ProblemHttpResult Unauthorized(string code, string detail) => Problem(StatusCodes.Status401Unauthorized, code, detail);

    public static ProblemHttpResult Forbidden(string code, string detail) => Problem(StatusCodes.Status403Forbidden, code, detail);

    public static ProblemHttpResult NotFound(string code, string detail) => Problem(StatusCodes.Status404NotFound, code, detail);

    public static ProblemHttpResult Conflict(string code, string detail) => Problem(StatusCodes.Status409Conflict, code, detail);

    /// <summary>The first problem among checks that all ran (so every out value they set is assigned).</summary>
    public static ProblemHttpResult? FirstOf(params ProblemHttpResult?[] problems) => problems.FirstOrDefault(p => p is not null);

    /// <summary>Maps a grain's error code to the HTTP status it deserves.</summary>
    public static ProblemHttpResult FromCode(string code) => code switch
    {
        "citizen_not_found" or "credential_not_found" or "relying_party_not_found" or "mandate_not_found" or "card_not_found"
            or "delegate_not_found" => NotFound(code, "No such record."),
        "unknown_citizen" => NotFound("citizen_not_found", "No such record."),
        "face_attempts_exceeded" => Forbidden(code, "Too many failed face matches: in-person attempts are refused for a while."),
        "mandate_limit_reached" => Conflict(code, "The citizen already has the maximum number of mandates in force."),
        "principal_not_a_minor" => Conflict(code, "A guardianship is for a principal under 16."),
        "delegate_is_a_minor" => Conflict(code, "A delegate or guardian must be 18 or over."),
        "principal_is_a_minor" => Conflict(code, "A minor's affairs go through a guardianship made at a counter."),
        "citizen_already_enrolled" or "relying_party_exists" => Conflict(code, "It already exists."),
        "public_key_revoked" => Conflict(code, "This device key was revoked; bind a new key."),
        "device_limit_reached" => Conflict(code, "The citizen already has the maximum number of active phones."),
        "device_signature_invalid" or "device_request_replayed" => Unauthorized(code, "The device signature is missing, wrong, or replayed."),
        "face_mismatch" or "liveness_insufficient" or "activation_code_invalid" => Forbidden(code, "Identity could not be proven."),
        "face_required" => BadRequest(code, "This action needs the citizen's live face."),
        "citizen_locked" => Forbidden(code, "The identity is locked; unlock it with a live face, or bind a phone at a counter."),
        "channel_not_allowed" => Forbidden(code, "This channel may not do that (the hotline may only suspend or lock)."),
        "credential_revoked" => Conflict(code, "The credential is revoked; revocation is final."),
        "capture_not_attested" => Forbidden(code, "The face capture is not attested by a trusted capture SDK for this key and a fresh challenge."),
        "credential_provisional" => Forbidden(code, "This phone was bound remotely and is still in its cooling-off period: it may act only on itself."),
        "capture_vendor_exists" => Conflict(code, "A capture vendor with this id exists (a revoked id is never reused)."),
        "capture_vendor_not_found" => NotFound(code, "No such capture vendor."),
        _ => BadRequest(code, "The request cannot be carried out."),
    };
}
