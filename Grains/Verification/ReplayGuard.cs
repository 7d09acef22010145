namespace NationalId.Verification;

/// <summary>
/// The set of presentation nonces a citizen grain has seen within the validity window. Held in memory only; after a
/// reactivation it is rebuilt from the durable history (<see cref="IVerificationJournal.RecentNoncesAsync"/>), so
/// single use needs no database write beyond the history record every verification writes anyway.
/// </summary>
public sealed class ReplayGuard(TimeSpan retention)
{
    private readonly Dictionary<Guid, DateTimeOffset> _seen = [];

    public bool Loaded { get; private set; }

    public int Count => _seen.Count;

    public void Load(IEnumerable<byte[]> nonces, DateTimeOffset now)
    {
        foreach (var nonce in nonces)
        {
            _seen.TryAdd(new Guid(nonce), now + retention);
        }

        Loaded = true;
    }

    /// <summary>Marks the nonce used; false when it was already used.</summary>
    public bool TryConsume(byte[] nonce, DateTimeOffset now)
    {
        if (_seen.Count > 16)
        {
            Prune(now);
        }

        return _seen.TryAdd(new Guid(nonce), now + retention);
    }

    /// <summary>Gives a nonce back when its verification could not be recorded, so the RP can retry.</summary>
    public void Release(byte[] nonce) => _seen.Remove(new Guid(nonce));

    private void Prune(DateTimeOffset now)
    {
        List<Guid>? expired = null;
        foreach (var (key, until) in _seen)
        {
            if (until < now)
            {
                (expired ??= []).Add(key);
            }
        }

        expired?.ForEach(k => _seen.Remove(k));
    }
}
