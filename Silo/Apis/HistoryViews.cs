using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Citizens;
using NationalId.Errors;
using NationalId.History;
using NationalId.Protocol;
using NationalId.RelyingParties;

namespace NationalId.Silo.Apis;

/// <summary>Turns history pages into their JSON views, naming each RP so a citizen sees who checked them.</summary>
public static class HistoryViews
{
    public static ProblemHttpResult? Cursor(string? before, out Guid? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(before))
        {
            return null;
        }

        if (Guid.TryParse(before, out var parsed) && UuidV7.IsCursor(parsed))
        {
            cursor = parsed;
            return null;
        }

        return ApiErrors.Problem(ErrorCodes.InvalidCursor, "'before' is the 'next' value of a previous page.");
    }

    public static async Task<HistoryPageView> ToView(HistoryPage page, int limit, RelyingPartyDirectory directory)
    {
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var id in page.Entries.Select(e => e.RelyingPartyId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            names[id] = (await directory.GetAsync(id))?.LegalName;
        }

        var entries = page.Entries.Select(e => new HistoryEntryView(
            e.EventId,
            e.At,
            e.Kind,
            e.CredentialId is null ? null : Base64Url.Encode(e.CredentialId),
            e.RelyingPartyId,
            e.RelyingPartyId is null ? null : names.GetValueOrDefault(e.RelyingPartyId),
            e.Scope,
            e.Verified,
            e.Reason,
            e.Assurance is { } a ? ApiJson.Name((Assurance)a) : null,
            e.DisclosedAttributes,
            e.RelyingPartyProvince,
            e.CrossProvince,
            e.Channel,
            e.Note)).ToList();
        return new HistoryPageView(entries, entries.Count == Math.Clamp(limit, 1, 100) ? entries[^1].EventId.ToString() : null);
    }
}
