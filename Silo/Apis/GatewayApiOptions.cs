namespace NationalId.Silo.Apis;

/// <summary>Settings of the HTTP gateway, bound from "Gateway".</summary>
public sealed class GatewayApiOptions
{
    public const string Section = "Gateway";

    /// <summary>Key counter and Ministry operators send in X-Operator-Key (a directory-backed login comes later).</summary>
    public string OperatorKey { get; set; } = string.Empty;
}
