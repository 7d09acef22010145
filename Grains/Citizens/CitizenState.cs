namespace NationalId.Citizens;

/// <summary>
/// A citizen's persistent state: small, rewritten whole on every write. No histories here (they live in the
/// append-only history tables).
/// </summary>
[GenerateSerializer, Alias("nid.CitizenState")]
public sealed class CitizenState
{
    [Id(0)] public bool Enrolled { get; set; }

    [Id(1)] public string IdNumber { get; set; } = string.Empty;

    [Id(2)] public string Name { get; set; } = string.Empty;

    [Id(3)] public string Sex { get; set; } = string.Empty;

    /// <summary>ISO date (yyyy-MM-dd).</summary>
    [Id(4)] public string BirthDate { get; set; } = string.Empty;

    [Id(5)] public string HomeProvince { get; set; } = string.Empty;

    [Id(6)] public string? ResidenceProvince { get; set; }

    /// <summary>Enrolled face template, float32 little-endian. Never returned, never logged.</summary>
    [Id(7)] public byte[] FaceTemplate { get; set; } = [];

    /// <summary>Keys this citizen's per-RP pseudonyms.</summary>
    [Id(8)] public byte[] PseudonymSecret { get; set; } = [];

    [Id(9)] public DateTimeOffset EnrolledAt { get; set; }

    [Id(10)] public List<CredentialRecord> Credentials { get; set; } = [];

    /// <summary>SHA-256 of the pending counter activation code.</summary>
    [Id(11)] public byte[]? ActivationCodeHash { get; set; }

    [Id(12)] public DateTimeOffset ActivationCodeExpiresAt { get; set; }

    [Id(13)] public int ActivationCodeFailures { get; set; }

    /// <summary>"Lock my identity": every remote verification refused until unlocked with a face match.</summary>
    [Id(14)] public bool Locked { get; set; }

    /// <summary>
    /// Events stored in the same write as the change they describe, then delivered to the history (and the event
    /// stream) and removed: a crash between the two leaves them here, and the next activation delivers them.
    /// </summary>
    [Id(15)] public List<PendingEvent> Outbox { get; set; } = [];
}
