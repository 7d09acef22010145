using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.Storage;

namespace NationalId.Silo.Apis;

/// <summary>
/// Bulk enrollment from the population register (<c>nid operator import</c>): a batch of register lines, each checked
/// as the enrollment API checks it, written per shard by <see cref="CitizenImporter"/>.
/// </summary>
public static class ImportApi
{
    /// <summary>Largest import body: 5,000 lines of ~800 bytes with room to spare.</summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    public static RouteGroupBuilder MapImportApi(this RouteGroupBuilder operators)
    {
        operators.MapPost("/citizens/import", Import).Accepts<CitizenImportRequest>("application/json");
        return operators;
    }

    public static async Task<Results<Ok<CitizenImportResponse>, ProblemHttpResult>> Import(HttpRequest request, CitizenImporter importer, TimeProvider clock)
    {
        // This route alone takes bodies beyond the server-wide 1 MB.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        var (bytes, tooLarge) = await JsonBody.ReadBytesAsync(request, MaxBytes);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        // One document for the whole batch, its lines read in place (a list of JsonElement would copy each one).
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return ApiErrors.Problem(ErrorCodes.InvalidEncoding, "The body must be UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            return ApiErrors.Problem(ErrorCodes.MalformedJson, "The body is not valid JSON for this request.");
        }

        using var _ = document;
        if (document.RootElement.ValueKind != JsonValueKind.Object
            || !document.RootElement.TryGetProperty("lines", out var lines) || lines.ValueKind != JsonValueKind.Array
            || lines.GetArrayLength() is 0 or > RegisterLines.MaxPerBatch)
        {
            return ApiErrors.Problem(ErrorCodes.InvalidParameter, $"'lines': 1 to {RegisterLines.MaxPerBatch} register lines.");
        }

        var rejected = new List<ImportRejection>();
        var accepted = new List<RegisterCitizen>(lines.GetArrayLength());
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        foreach (var line in lines.EnumerateArray())
        {
            var (number, citizen, problem) = RegisterLines.Read(line, today);
            if (problem is null && !seen.Add(citizen!.IdNumber.Value))
            {
                problem = ErrorCodes.DuplicateLine;
            }

            if (problem is not null)
            {
                rejected.Add(new ImportRejection(number, problem));
            }
            else
            {
                accepted.Add(citizen!);
            }
        }

        var outcome = accepted.Count == 0
            ? new ImportOutcome([], [], [])
            : await importer.ImportAsync(accepted, request.HttpContext.RequestAborted);
        if (outcome.Unavailable.Count > 0 && outcome.Unavailable.Count == accepted.Count)
        {
            // Nothing was stored: the batch as a whole is to be sent again.
            throw new History.HistoryUnavailableException("No shard of this batch could be written.");
        }

        return TypedResults.Ok(new CitizenImportResponse(outcome.Imported.Count, outcome.AlreadyEnrolled.Count, rejected, outcome.Unavailable));
    }
}
