namespace NationalId.Events;

/// <summary>
/// A credential or identity event (bound, suspended, resumed, revoked, locked, unlocked) on the citizen's stream.
/// Delivered at least once: receivers deduplicate by <see cref="EventId"/>. Carries no ID number and no handle: the
/// stream id is the handle, and each RP in the audience appears only with its own pseudonym.
/// </summary>
[GenerateSerializer, Immutable, Alias("nid.CitizenEvent")]
public sealed record CitizenEvent(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Kind,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] AudienceMember[] Audience);
