namespace NationalId.Citizens.Rules;

/// <summary>An impossible journey: where the credential was seen before, and the note its history line carries.</summary>
public sealed record TravelAnomaly(string FromProvince, string ToProvince, int Minutes)
{
    public string Note => $"{FromProvince} then {ToProvince} within {Minutes} min";
}

/// <summary>
/// Where each of a citizen's credentials was last verified, and whether the next verification is one nobody could
/// have travelled to in time (<see cref="TravelRule"/>). In memory only: an idle citizen's grain is collected after
/// hours, longer than any flight, so forgetting with the activation loses nothing the rule could use. No clock: the
/// caller passes the time.
/// </summary>
public sealed class TravelWatch
{
    private readonly Dictionary<Guid, (string Province, DateTimeOffset At)> _lastSeen = [];

    /// <summary>Records this verification; the anomaly when it cannot follow the credential's previous one.</summary>
    public TravelAnomaly? Seen(byte[] credentialId, string province, DateTimeOffset at)
    {
        var key = new Guid(credentialId);
        var found = _lastSeen.TryGetValue(key, out var previous);
        _lastSeen[key] = (province, at);
        return found && TravelRule.Impossible(previous.Province, previous.At, province, at)
            ? new TravelAnomaly(previous.Province, province, (int)Math.Round((at - previous.At).TotalMinutes))
            : null;
    }
}
