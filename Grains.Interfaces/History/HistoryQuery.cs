using NationalId.Citizens;

namespace NationalId.History;

/// <summary>
/// A request to read a citizen's history: by the citizen (a device-signed request) or by an operator, who must state
/// a reason that is itself recorded in the history the citizen sees.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.HistoryQuery")]
public sealed record HistoryQuery(
    [property: Id(0)] DeviceSignedRequest? Device,
    [property: Id(1)] string? OperatorReason,
    [property: Id(2)] Guid? Before,
    [property: Id(3)] int Limit);
