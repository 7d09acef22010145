namespace NationalId.History;

/// <summary>A page of history, newest first, or why it may not be read.</summary>
[GenerateSerializer, Immutable, Alias("nid.HistoryPage")]
public sealed record HistoryPage(
    [property: Id(0)] string? Error,
    [property: Id(1)] IReadOnlyList<HistoryEntry> Entries);
