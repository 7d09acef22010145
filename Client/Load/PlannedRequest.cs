namespace NationalId.Client.Load;

/// <summary>
/// One verification to send: which RP (its API key), for which scope, which QR, whether the RP is in another province
/// than the citizen's home, and whether it is the citizen's first verification of the run (a cold grain when the run
/// deactivated idle grains first).
/// </summary>
public sealed record PlannedRequest(string ApiKey, string Scope, string Presentation, bool CrossProvince, bool FirstTouch = false)
{
    /// <summary>
    /// Set for the scenario's other traffic (a lost-phone report, a new activation): run instead of a verification,
    /// counted apart, never in the verification latencies.
    /// </summary>
    public Func<Task<bool>>? Operation { get; init; }
}
