namespace NationalId.History;

/// <summary>Settings of the access history, bound from "NationalId:History".</summary>
public sealed class HistoryOptions
{
    public const string Section = "NationalId:History";

    /// <summary>Days a history line is kept before its daily partition is dropped.</summary>
    public int RetentionDays { get; set; } = 365;

    /// <summary>Days an RP feed event is kept (RPs that stay away longer resynchronise from scratch).</summary>
    public int FeedRetentionDays { get; set; } = 30;

    /// <summary>Daily partitions made ahead of today.</summary>
    public int PartitionsAhead { get; set; } = 3;

    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// True (the only production setting): a verification is answered after its history line is durable. False
    /// exists only to measure what durability costs (docs/decisions/performance.md); the silo logs a warning when it is off.
    /// </summary>
    public bool AwaitDurable { get; set; } = true;
}
