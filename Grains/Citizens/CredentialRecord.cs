namespace NationalId.Citizens;

/// <summary>One bound phone in the citizen's state.</summary>
[GenerateSerializer, Alias("nid.CredentialRecord")]
public sealed class CredentialRecord
{
    [Id(0)] public byte[] CredentialId { get; set; } = [];

    /// <summary>SEC1 uncompressed P-256 point (65 bytes).</summary>
    [Id(1)] public byte[] PublicKey { get; set; } = [];

    [Id(2)] public DateTimeOffset BoundAt { get; set; }

    [Id(3)] public Assurance Assurance { get; set; }

    [Id(4)] public CredentialStatus Status { get; set; }

    [Id(5)] public DateTimeOffset? StatusChangedAt { get; set; }

    [Id(6)] public string? StatusReason { get; set; }

    [Id(7)] public string? DeviceLabel { get; set; }

    /// <summary>Timestamp of the last device-signed request accepted from this phone: later ones must be newer (replay-proof).</summary>
    [Id(8)] public long LastDeviceRequestMs { get; set; }

    /// <summary>
    /// Set for a phone bound remotely: until then it may not act on the citizen's other phones, lock state, residence or
    /// mandates (<see cref="NationalIdOptions.RemoteBindingCoolingOff"/>).
    /// </summary>
    [Id(9)] public DateTimeOffset? ProvisionalUntil { get; set; }

    public bool IsProvisional(DateTimeOffset now) => ProvisionalUntil is { } until && until > now;
}
