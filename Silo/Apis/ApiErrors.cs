using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NationalId.Errors;

namespace NationalId.Silo.Apis;

/// <summary>
/// Every 4xx/5xx answer is RFC 9457 ProblemDetails with a stable machine-readable "code" (listed in docs/reference/api.md). The
/// status comes from <see cref="ErrorCatalogue"/>, never from the call site.
/// </summary>
public static class ApiErrors
{
    /// <summary>The problem for a catalogued code, with the call site's detail or the catalogue's.</summary>
    public static ProblemHttpResult Problem(string code, string? detail = null)
    {
        if (!ErrorCatalogue.Entries.TryGetValue(code, out var entry))
        {
            // A code outside the catalogue is a bug (ErrorCatalogueTests): answer as one, telling nothing.
            return Make(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError, "Internal error.");
        }

        return Make(entry.Status, code, detail ?? entry.Detail);
    }

    /// <summary>
    /// An answer the framework decides (a status ASP.NET Core or Kestrel chose: 404 no such route, 405, 413...), with
    /// its code from <see cref="ProblemResponses"/>: not a catalogued code.
    /// </summary>
    public static ProblemHttpResult Framework(int status, string code, string detail) => Make(status, code, detail);

    /// <summary>The first problem among checks that all ran (so every out value they set is assigned).</summary>
    public static ProblemHttpResult? FirstOf(params ProblemHttpResult?[] problems) => problems.FirstOrDefault(p => p is not null);

    /// <summary>The answer to a grain's error code: its catalogue entry (an unknown citizen is "citizen_not_found").</summary>
    public static ProblemHttpResult FromCode(string code) =>
        Problem(code == RejectionReason.UnknownCitizen ? ErrorCodes.CitizenNotFound : code);

    private static ProblemHttpResult Make(int status, string code, string detail)
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
}
