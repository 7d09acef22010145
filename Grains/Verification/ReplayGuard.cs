namespace NationalId.Verification;

/// <summary>
/// The presentation nonces a citizen grain has seen within the validity window, each with the verification that
/// consumed it. Held in memory only; after a reactivation it is rebuilt from the durable history
/// (<see cref="History.IAccessHistory.RecentNoncesAsync"/>), so single use needs no database write beyond the history
/// record every verification writes anyway.
/// </summary>
public sealed class ReplayGuard(TimeSpan retention)
{
    private readonly Dictionary<Guid, (DateTimeOffset Until, Guid VerificationId)> _seen = [];

    public bool Loaded { get; private set; }

    public int Count => _seen.Count;

    public void Load(IEnumerable<(byte[] Nonce, Guid VerificationId)> recorded, DateTimeOffset now)
    {
        foreach (var (nonce, verificationId) in recorded)
        {
            _seen.TryAdd(new Guid(nonce), (now + retention, verificationId));
        }

        Loaded = true;
    }

    /// <summary>
    /// Marks the nonce used by <paramref name="verificationId"/>; false when it was already used, with the id of the
    /// verification that used it (the same id means a retry of that verification, not a replay).
    /// </summary>
    public bool TryConsume(byte[] nonce, DateTimeOffset now, Guid verificationId, out Guid consumedBy)
    {
        if (_seen.Count > 16)
        {
            Prune(now);
        }

        var key = new Guid(nonce);
        if (_seen.TryGetValue(key, out var seen))
        {
            consumedBy = seen.VerificationId;
            return false;
        }

        _seen[key] = (now + retention, verificationId);
        consumedBy = verificationId;
        return true;
    }

    /// <summary>Gives a nonce back when its verification could not be recorded, so the RP can retry.</summary>
    public void Release(byte[] nonce) => _seen.Remove(new Guid(nonce));

    private void Prune(DateTimeOffset now)
    {
        List<Guid>? expired = null;
        foreach (var (key, seen) in _seen)
        {
            if (seen.Until < now)
            {
                (expired ??= []).Add(key);
            }
        }

        expired?.ForEach(k => _seen.Remove(k));
    }
}
