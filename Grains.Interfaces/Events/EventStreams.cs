namespace NationalId.Events;

/// <summary>Names of the Orleans stream provider and namespaces events travel on (persistent, on PostgreSQL).</summary>
public static class EventStreams
{
    public const string Provider = "events";

    /// <summary>One stream per citizen (keyed by handle): credential and identity events, with their RP audience.</summary>
    public const string CitizenEvents = "citizen-events";

    /// <summary>One stream per RP: its policy changed, every silo must drop its cached copy.</summary>
    public const string RelyingPartyChanges = "rp-changes";
}
