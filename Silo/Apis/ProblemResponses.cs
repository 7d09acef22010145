using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using NationalId.Errors;

namespace NationalId.Silo.Apis;

/// <summary>
/// The answers no handler writes: an unknown route (404), a wrong method (405), a query or route value that does not
/// bind (400), a refused media type (415). Each becomes a ProblemDetails with a stable code like every other error,
/// and every 401 names how to authenticate (WWW-Authenticate, RFC 9110 §11.6.1).
/// </summary>
public static class ProblemResponses
{
    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode == StatusCodes.Status401Unauthorized
                    && !context.Response.Headers.ContainsKey(HeaderNames.WWWAuthenticate))
                {
                    context.Response.Headers.WWWAuthenticate = Challenge(context.Request.Path);
                }

                return Task.CompletedTask;
            });
            return next(context);
        });

        // Only answers that have no body yet: ours always have one.
        app.UseStatusCodePages(async pages =>
        {
            var context = pages.HttpContext;
            var status = context.Response.StatusCode;
            var (code, detail) = Describe(status);
            var problem = new ProblemDetails { Status = status, Title = code, Detail = detail, Type = $"https://nationalid.example/errors/{code}" };
            problem.Extensions["code"] = code;
            await TypedResults.Problem(problem).ExecuteAsync(context);
        });
        return app;
    }

    /// <summary>The stable code of an answer the framework decided, by status.</summary>
    public static (string Code, string Detail) Describe(int status) => status switch
    {
        400 => (ErrorCodes.InvalidParameter, "A query parameter, route value or header has the wrong form (docs/reference/api.md)."),
        401 => ("unauthorized", "This route needs credentials (see WWW-Authenticate)."),
        403 => ("forbidden", "Not allowed."),
        404 => ("not_found", "No such route (docs/reference/api.md lists them)."),
        405 => ("method_not_allowed", "This route does not take that method."),
        406 => ("not_acceptable", "This route answers application/json (or text/event-stream where documented)."),
        408 => ("request_timeout", "The request took too long to arrive."),
        413 => (ErrorCodes.BodyTooLarge, $"Bodies are limited to {JsonBody.MaxBytes} bytes."),
        415 => ("unsupported_media_type", "Bodies are application/json."),
        431 => ("headers_too_large", "The request headers are too large."),
        >= 500 => (ErrorCodes.InternalError, "An internal error occurred."),
        _ => ("request_refused", "The request cannot be carried out."),
    };

    /// <summary>How each part of the API authenticates: RPs by bearer key, operators by key, phones by device signature.</summary>
    public static string Challenge(PathString path) =>
        path.StartsWithSegments("/v1/operator") ? "OperatorKey realm=\"nationalid-operator\", header=\"X-Operator-Key\""
        : path.StartsWithSegments("/v1/wallet") ? "NidDevice realm=\"nationalid-wallet\""
        : "Bearer realm=\"nationalid\"";
}
