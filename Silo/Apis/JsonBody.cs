using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Errors;

namespace NationalId.Silo.Apis;

/// <summary>
/// Reads a bounded JSON body ourselves, so malformed JSON and oversize bodies get our own error codes (and device
/// signatures can hash the exact bytes received).
/// </summary>
public static class JsonBody
{
    /// <summary>Largest body any endpoint accepts; a face template with its JSON is well under it.</summary>
    public const int MaxBytes = 32 * 1024;

    public static async Task<(byte[]? Bytes, ProblemHttpResult? Error)> ReadBytesAsync(HttpRequest request, int maxBytes = MaxBytes)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, ApiErrors.Problem(ErrorCodes.BodyTooLarge, $"Bodies are limited to {maxBytes} bytes."));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, ApiErrors.Problem(ErrorCodes.BodyTooLarge, $"Bodies are limited to {maxBytes} bytes."));
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    public static (T? Value, ProblemHttpResult? Error) Parse<T>(byte[] bytes, JsonSerializerOptions options)
        where T : class
    {
        // RFC 8259: JSON between systems is UTF-8. Checked over the whole body, members the request type ignores too.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return (null, ApiErrors.Problem(ErrorCodes.InvalidEncoding, "The body must be UTF-8."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, options);
            return value is null
                ? (null, ApiErrors.Problem(ErrorCodes.MalformedJson, "The body must be a JSON object."))
                : (value, null);
        }
        catch (InvalidTextException ex)
        {
            return (null, RequestValidation.InvalidText(Member(ex.Path), ex.Problem));
        }
        catch (JsonException)
        {
            return (null, ApiErrors.Problem(ErrorCodes.MalformedJson, "The body is not valid JSON for this request."));
        }
    }

    /// <summary>"$.face.template" → "face.template": the member as the caller wrote it.</summary>
    private static string Member(string? path) => path is null ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    public static async Task<(T? Value, ProblemHttpResult? Error)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options)
        where T : class
    {
        var (bytes, error) = await ReadBytesAsync(request);
        return error is not null ? (null, error) : Parse<T>(bytes!, options);
    }
}
