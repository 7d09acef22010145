using NationalId.Errors;
using NationalId.Protocol;

namespace NationalId.Citizens.Rules;

/// <summary>
/// A request a phone signs for its citizen (docs/protocol.md, device-signed requests), pure: which phones may sign,
/// and when a signed timestamp is fresh. The signature itself is checked by the grain, with the phone's cached key.
/// </summary>
public static class DeviceRules
{
    /// <summary>An active phone signs for its citizen; a suspended one only where the action allows it (resuming itself).</summary>
    public static bool MaySign(CredentialStatus status, bool allowSuspended) =>
        status == CredentialStatus.Active || (allowSuspended && status == CredentialStatus.Suspended);

    /// <summary>
    /// Null when the signed time is within the clock skew of now and, for a request that changes something
    /// (<paramref name="consume"/>), newer than the last one accepted from this phone; else "replayed".
    /// </summary>
    public static string? Freshness(long nowMs, long timestampMs, long lastAcceptedMs, bool consume) =>
        Math.Abs(nowMs - timestampMs) > DeviceRequestSignature.MaxClockSkew.TotalMilliseconds || (consume && timestampMs <= lastAcceptedMs)
            ? ErrorCodes.DeviceRequestReplayed
            : null;

    /// <summary>
    /// What an unknown citizen answers: to a phone, a signature that does not verify (a phone must not learn which
    /// handles are enrolled); to an operator, that there is no such citizen.
    /// </summary>
    public static string UnknownCitizen(ActionChannel channel) =>
        channel == ActionChannel.Device ? ErrorCodes.DeviceSignatureInvalid : ErrorCodes.CitizenNotFound;
}
