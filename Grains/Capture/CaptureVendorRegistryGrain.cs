using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NationalId.Citizens;
using NationalId.Errors;
using NationalId.Protocol;

namespace NationalId.Capture;

/// <summary>The national registry of capture vendors (see <see cref="ICaptureVendorRegistryGrain"/>).</summary>
[GrainType("capture-vendors")]
public sealed class CaptureVendorRegistryGrain(
    [PersistentState("capture-vendors", StorageNames.Default)] IPersistentState<CaptureVendorRegistryState> state,
    IOptions<NationalIdOptions> options,
    TimeProvider clock,
    ILogger<CaptureVendorRegistryGrain> logger) : Grain, ICaptureVendorRegistryGrain
{
    public const string ConfigurationSource = "configuration";
    public const string OperatorSource = "operator";

    private List<CaptureVendorRecord> Vendors => state.State.Vendors;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Vendors listed in configuration join the registry the first time it sees them (stored with the next write);
        // one already there, revoked included, is left as it is: configuration never un-revokes a vendor.
        foreach (var configured in options.Value.CaptureVendors)
        {
            if (!CaptureStatement.IsVendorId(configured.Id) || !Base64UrlKey(configured.PublicKey, out var key))
            {
                logger.LogError("A configured capture vendor is malformed and is not trusted");
                continue;
            }

            if (Vendors.All(v => v.VendorId != configured.Id))
            {
                Vendors.Add(new CaptureVendorRecord
                {
                    VendorId = configured.Id,
                    Name = configured.Name,
                    PublicKey = key,
                    RegisteredAt = clock.GetUtcNow(),
                    Source = ConfigurationSource,
                });
            }
        }

        return Task.CompletedTask;
    }

    public async Task<OperationOutcome> Register(CaptureVendorRegistration registration)
    {
        if (Vendors.Any(v => v.VendorId == registration.VendorId))
        {
            return OperationOutcome.Fail(ErrorCodes.CaptureVendorExists); // a revoked id is never reused
        }

        Vendors.Add(new CaptureVendorRecord
        {
            VendorId = registration.VendorId,
            Name = registration.Name,
            PublicKey = registration.PublicKey,
            RegisteredAt = clock.GetUtcNow(),
            Source = OperatorSource,
        });
        await Persist();
        logger.LogInformation("Capture vendor registered");
        return OperationOutcome.Ok;
    }

    public async Task<OperationOutcome> Revoke(string vendorId, string reason)
    {
        if (Vendors.FirstOrDefault(v => v.VendorId == vendorId) is not { } vendor)
        {
            return OperationOutcome.Fail(ErrorCodes.CaptureVendorNotFound);
        }

        if (vendor.RevokedAt is null)
        {
            vendor.RevokedAt = clock.GetUtcNow();
            vendor.RevokedReason = reason;
            await Persist();
            logger.LogWarning("Capture vendor revoked");
        }

        return OperationOutcome.Ok;
    }

    public Task<IReadOnlyList<CaptureVendorView>> List() =>
        Task.FromResult<IReadOnlyList<CaptureVendorView>>(Vendors
            .Select(v => new CaptureVendorView(v.VendorId, v.Name, v.PublicKey, v.RegisteredAt, v.RevokedAt, v.RevokedReason, v.Source))
            .ToArray());

    private static bool Base64UrlKey(string text, out byte[] key) =>
        Base64Url.TryDecode(text, out key) && PresentationCodec.TryDecodePoint(key, out _);

    private async Task Persist()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle(); // memory must never run ahead of storage: reload on the next call
            throw;
        }
    }
}

[GenerateSerializer, Alias("nid.CaptureVendorRegistryState")]
public sealed class CaptureVendorRegistryState
{
    [Id(0)] public List<CaptureVendorRecord> Vendors { get; set; } = [];
}

[GenerateSerializer, Alias("nid.CaptureVendorRecord")]
public sealed class CaptureVendorRecord
{
    [Id(0)] public string VendorId { get; set; } = string.Empty;

    [Id(1)] public string Name { get; set; } = string.Empty;

    /// <summary>Uncompressed P-256 point (65 bytes).</summary>
    [Id(2)] public byte[] PublicKey { get; set; } = [];

    [Id(3)] public DateTimeOffset RegisteredAt { get; set; }

    [Id(4)] public DateTimeOffset? RevokedAt { get; set; }

    [Id(5)] public string? RevokedReason { get; set; }

    [Id(6)] public string Source { get; set; } = string.Empty;
}
