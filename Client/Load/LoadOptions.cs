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
    IReadOnlyList<int>? ServicePids = null,
    IReadOnlyList<string>? Targets = null,
    int Warmup = 0,
    double Rate = 0,
    string? ClusterConnectionString = null,
    string ClusterId = "national-id-local",
    string ServiceId = "national-id",
    Security.ClusterTlsSettings? ClusterTls = null)
{
    /// <summary>Open loop when above zero: requests are sent at this rate whatever the answers do (latency counts from
    /// each request's scheduled time, so a stall is not hidden). Closed loop otherwise.</summary>
    public bool OpenLoop => Rate > 0;

    /// <summary>"grains" (our design, through HTTP), "direct" (the same checks through an Orleans client, no HTTP; needs
    /// <see cref="ClusterConnectionString"/>) and/or "central" (the central-table baseline, served only by the benchmark host bench/Baseline).</summary>
    /// <remarks>The direct target connects with <see cref="ClusterTls"/>, else the Orleans__Tls__* environment (dev-secrets.sh).</remarks>
    public IReadOnlyList<string> EffectiveTargets => Targets is { Count: > 0 } ? Targets : ["grains"];
}
