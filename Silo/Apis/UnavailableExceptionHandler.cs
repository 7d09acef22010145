using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using NationalId.Errors;
using NationalId.History;
using Npgsql;

namespace NationalId.Silo.Apis;

/// <summary>
/// Turns failures of the parts we depend on (PostgreSQL, a silo going away) into 503 with Retry-After and a stable
/// code; anything else is a 500 "internal_error" without details. Nothing personal is logged.
/// </summary>
public sealed class UnavailableExceptionHandler(ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException bad)
        {
            // The request itself was wrong (a body over Kestrel's limit, a read that timed out): a 4xx like any other.
            var (badCode, badDetail) = ProblemResponses.Describe(bad.StatusCode);
            await ApiErrors.Framework(bad.StatusCode, badCode, badDetail).ExecuteAsync(httpContext);
            return true;
        }

        var unavailable = IsTransient(exception);
        var status = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        var code = unavailable ? ErrorCodes.ServiceUnavailable : ErrorCodes.InternalError;
        if (unavailable)
        {
            logger.LogWarning("Request failed because a dependency is unavailable: {ExceptionType}", exception.GetType().Name);
            httpContext.Response.Headers.RetryAfter = "1";
        }
        else
        {
            logger.LogError(exception, "Unhandled error on {Path}", httpContext.Request.Path);
        }

        var problem = new ProblemDetails
        {
            Status = status,
            Title = code,
            Detail = unavailable ? "A dependency is unavailable; retry shortly." : "An internal error occurred.",
            Type = $"https://nationalid.example/errors/{code}",
        };
        problem.Extensions["code"] = code;
        await TypedResults.Problem(problem).ExecuteAsync(httpContext);
        return true;
    }

    /// <summary>PostgreSQL away, or a silo away (the same failures the verifier retries on, <see cref="Verification.Verifier.IsSiloFailure"/>).</summary>
    private static bool IsTransient(Exception exception) =>
        exception is NpgsqlException or HistoryUnavailableException
        || Verification.Verifier.IsSiloFailure(exception)
        || (exception.InnerException is { } inner && IsTransient(inner));
}
