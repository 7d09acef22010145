namespace NationalId.Client.Load;

/// <summary>What a verification load run does.</summary>
public sealed record LoadOptions(
    Uri Gateway,
    string OperatorKey,
    int Citizens,
    int Requests,
    int Concurrency,
    string Scope = "rail.gate",
    string RegionCode = "510104",
    IReadOnlyList<int>? ServicePids = null);
