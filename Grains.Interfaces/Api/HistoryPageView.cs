namespace NationalId.Api;

/// <summary>A page of history, newest first; pass <c>next</c> as <c>before</c> to get the following page.</summary>
public sealed record HistoryPageView(IReadOnlyList<HistoryEntryView> Entries, string? Next);
