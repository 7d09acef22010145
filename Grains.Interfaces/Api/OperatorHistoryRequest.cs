namespace NationalId.Api;

/// <summary>Operator: read one citizen's history; the stated reason is recorded in that history.</summary>
public sealed record OperatorHistoryRequest(string? IdNumber, string? Reason, string? Before, int? Limit);
