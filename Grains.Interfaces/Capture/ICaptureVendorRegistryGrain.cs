using NationalId.Citizens;

namespace NationalId.Capture;

/// <summary>
/// The national list of certified capture-SDK vendors whose signatures make a remote face capture count (one grain,
/// key <see cref="Key"/>). Vendors listed in configuration are in it from the start; operators register more and
/// revoke any, and a revocation is stored and outlives the configuration that listed the vendor.
/// </summary>
public interface ICaptureVendorRegistryGrain : IGrainWithStringKey
{
    public const string Key = "national";

    Task<OperationOutcome> Register(CaptureVendorRegistration registration);

    Task<OperationOutcome> Revoke(string vendorId, string reason);

    Task<IReadOnlyList<CaptureVendorView>> List();
}

/// <summary>A vendor to trust: its id (a-z, 0-9, '-'), its name, its P-256 public key (65-byte point).</summary>
[GenerateSerializer, Immutable, Alias("nid.CaptureVendorRegistration")]
public sealed record CaptureVendorRegistration(
    [property: Id(0)] string VendorId,
    [property: Id(1)] string Name,
    [property: Id(2)] byte[] PublicKey);

/// <summary>One vendor as the registry holds it; <see cref="Source"/> is "configuration" or "operator".</summary>
[GenerateSerializer, Immutable, Alias("nid.CaptureVendorView")]
public sealed record CaptureVendorView(
    [property: Id(0)] string VendorId,
    [property: Id(1)] string Name,
    [property: Id(2)] byte[] PublicKey,
    [property: Id(3)] DateTimeOffset RegisteredAt,
    [property: Id(4)] DateTimeOffset? RevokedAt,
    [property: Id(5)] string? RevokedReason,
    [property: Id(6)] string Source);
