namespace NationalId.Citizens;

/// <summary>A credential or identity event waiting in the citizen's outbox to be delivered at least once.</summary>
[GenerateSerializer, Alias("nid.PendingEvent")]
public sealed class PendingEvent
{
    /// <summary>UUIDv7; receivers deduplicate by it.</summary>
    [Id(0)] public Guid EventId { get; set; }

    /// <summary>A <c>HistoryKind</c> word: bound, suspended, resumed, revoked, locked, unlocked, operator_read.</summary>
    [Id(1)] public string Kind { get; set; } = string.Empty;

    [Id(2)] public DateTimeOffset At { get; set; }

    [Id(3)] public byte[]? CredentialId { get; set; }

    [Id(4)] public string Channel { get; set; } = string.Empty;

    [Id(5)] public string? Note { get; set; }
}
