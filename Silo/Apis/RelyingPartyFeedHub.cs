using NationalId.Events;

namespace NationalId.Silo.Apis;

/// <summary>
/// One database poll per RP per silo, however many of that RP's event streams this silo holds: a poller per RP with
/// open streams reads what is new into a short in-memory tail, and the streams are served from it. A stream resuming
/// from before the tail catches up with its own reads first (bounded: streams per RP are capped). The poller stops
/// when the RP's last stream closes.
/// </summary>
public sealed class RelyingPartyFeedHub(IRelyingPartyFeed feed, ILogger<RelyingPartyFeedHub> logger)
{
    private readonly ILogger _logger = logger;
    private const int TailLength = 1000;
    private const int Page = 100;
    private readonly Dictionary<string, Poller> _pollers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Database polls made (tests and metrics observe the sharing with it).</summary>
    public long Polls => Interlocked.Read(ref _polls);

    private long _polls;

    /// <summary>Joins the RP's poller, starting it at <paramref name="after"/> if it is the first stream.</summary>
    public Subscription Subscribe(string relyingPartyId, long after)
    {
        lock (_gate)
        {
            if (!_pollers.TryGetValue(relyingPartyId, out var poller))
            {
                poller = new Poller(this, relyingPartyId, after);
                _pollers[relyingPartyId] = poller;
            }

            poller.Streams++;
            return new Subscription(this, poller);
        }
    }

    private void Leave(Poller poller)
    {
        lock (_gate)
        {
            if (--poller.Streams == 0)
            {
                _pollers.Remove(poller.RelyingPartyId);
                poller.Dispose();
            }
        }
    }

    /// <summary>A stream's place in its RP's poller.</summary>
    public sealed class Subscription(RelyingPartyFeedHub hub, Poller poller) : IDisposable
    {
        private bool _disposed;

        /// <summary>Entries after <paramref name="after"/>: from the tail, or from the database while catching up to it.</summary>
        public async Task<IReadOnlyList<RelyingPartyFeedEntry>> AfterAsync(long after, CancellationToken cancellationToken)
        {
            if (poller.TryTail(after, Page, out var entries))
            {
                return entries;
            }

            return await hub.ReadAsync(poller.RelyingPartyId, after, cancellationToken);
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                hub.Leave(poller);
            }
        }
    }

    private Task<IReadOnlyList<RelyingPartyFeedEntry>> ReadAsync(string relyingPartyId, long after, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _polls);
        return feed.ReadAsync(relyingPartyId, after, Page, cancellationToken);
    }

    /// <summary>Polls one RP's feed while it has streams here; keeps the newest entries.</summary>
    public sealed class Poller : IDisposable
    {
        private readonly RelyingPartyFeedHub _hub;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<RelyingPartyFeedEntry> _tail = [];
        private readonly Lock _tailGate = new();
        private long _floor; // the tail holds every entry after this sequence
        private long _high;

        public Poller(RelyingPartyFeedHub hub, string relyingPartyId, long start)
        {
            (_hub, RelyingPartyId, _floor, _high) = (hub, relyingPartyId, start, start);
            _ = Task.Run(LoopAsync);
        }

        public string RelyingPartyId { get; }

        /// <summary>Streams of this RP on this silo (guarded by the hub's lock).</summary>
        public int Streams { get; set; }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }

        public bool TryTail(long after, int limit, out IReadOnlyList<RelyingPartyFeedEntry> entries)
        {
            lock (_tailGate)
            {
                if (after < _floor)
                {
                    entries = [];
                    return false;
                }

                entries = _tail.Where(e => e.Sequence > after).Take(limit).ToList();
                return true;
            }
        }

        private async Task LoopAsync()
        {
            using var tick = new PeriodicTimer(EventStream.PollInterval);
            try
            {
                do
                {
                    try
                    {
                        IReadOnlyList<RelyingPartyFeedEntry> page;
                        do
                        {
                            page = await _hub.ReadAsync(RelyingPartyId, _high, _stop.Token);
                            Append(page);
                        }
                        while (page.Count == Page && !_stop.IsCancellationRequested);
                    }
                    catch (Exception ex) when (ex is not (OperationCanceledException or ObjectDisposedException))
                    {
                        // PostgreSQL away: the streams see nothing new until it is back; nothing is skipped.
                        _hub._logger.LogWarning("Polling an RP event feed failed: {Error}", ex.GetType().Name);
                    }
                }
                while (await tick.WaitForNextTickAsync(_stop.Token));
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                // the RP's last stream on this silo closed
            }
        }

        private void Append(IReadOnlyList<RelyingPartyFeedEntry> page)
        {
            if (page.Count == 0)
            {
                return;
            }

            lock (_tailGate)
            {
                _tail.AddRange(page);
                _high = page[^1].Sequence;
                if (_tail.Count > TailLength)
                {
                    var drop = _tail.Count - TailLength;
                    _floor = _tail[drop - 1].Sequence;
                    _tail.RemoveRange(0, drop);
                }
            }
        }
    }
}
