namespace NationalId.Silo.Apis;

/// <summary>Settings of the HTTP gateway, bound from "Gateway".</summary>
public sealed class GatewayApiOptions
{
    public const string Section = "Gateway";

    /// <summary>Key counter and Ministry operators send in X-Operator-Key (a directory-backed login comes later).</summary>
    public string OperatorKey { get; set; } = string.Empty;

    /// <summary>Event streams one RP may hold open on one silo at a time (429 too_many_streams beyond).</summary>
    public int MaxStreamsPerRelyingParty { get; set; } = 4;

    /// <summary>Event streams one phone credential may hold open on one silo at a time.</summary>
    public int MaxStreamsPerDevice { get; set; } = 2;
}
