using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NationalId.Events;
using NationalId.Silo.Apis;

namespace NationalId.Tests.HostileInput;

/// <summary>An RP's streams on one silo share one database poll, however many are open and however often they ask.</summary>
public class RelyingPartyFeedHubTests
{
    private sealed class CountingFeed : IRelyingPartyFeed
    {
        private readonly List<RelyingPartyFeedEntry> _entries = [];
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public void Add(int count)
        {
            lock (_entries)
            {
                for (var i = 0; i < count; i++)
                {
                    _entries.Add(new RelyingPartyFeedEntry(_entries.Count + 1, Guid.CreateVersion7(), "suspended", "p-x", DateTimeOffset.UtcNow));
                }
            }
        }

        public Task AppendAsync(string relyingPartyId, CitizenEvent citizenEvent, string pseudonym, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<IReadOnlyList<RelyingPartyFeedEntry>> ReadAsync(string relyingPartyId, long afterSequence, int limit, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            lock (_entries)
            {
                return Task.FromResult<IReadOnlyList<RelyingPartyFeedEntry>>(_entries.Where(e => e.Sequence > afterSequence).Take(limit).ToList());
            }
        }
    }

    [Fact]
    public async Task Streams_of_one_rp_are_served_from_one_poll_and_every_entry_reaches_every_stream()
    {
        var feed = new CountingFeed();
        var hub = new RelyingPartyFeedHub(feed, NullLogger<RelyingPartyFeedHub>.Instance);
        var watch = Stopwatch.StartNew();
        var streams = Enumerable.Range(0, 3).Select(_ => hub.Subscribe("rp-44-aaaaaaaaaaaaaaaa", 0)).ToList();
        var cursors = new long[3];
        var asked = 0;
        feed.Add(250);
        while (cursors.Any(c => c < 250))
        {
            for (var s = 0; s < streams.Count; s++)
            {
                var page = await streams[s].AfterAsync(cursors[s], CancellationToken.None);
                Assert.Equal(Enumerable.Range((int)cursors[s] + 1, page.Count).Select(n => (long)n), page.Select(e => e.Sequence)); // in order, no gap
                cursors[s] = page.Count > 0 ? page[^1].Sequence : cursors[s];
                asked++;
            }

            await Task.Yield();
        }

        // Caught up: now the streams keep asking, and only the poller reads the feed (once per interval, nothing new).
        var readsBefore = feed.Reads;
        watch.Restart();
        for (var round = 0; round < 100; round++)
        {
            foreach (var (stream, s) in streams.Select((stream, s) => (stream, s)))
            {
                Assert.Empty(await stream.AfterAsync(cursors[s], CancellationToken.None));
                asked++;
            }

            await Task.Yield();
        }

        watch.Stop();
        streams.ForEach(s => s.Dispose());
        var reads = feed.Reads - readsBefore;
        var intervals = (int)(watch.Elapsed / EventStream.PollInterval) + 1;
        Assert.True(reads <= intervals + 1, $"{reads} feed reads for 300 asks in {intervals} poll intervals");
    }

    [Fact]
    public async Task A_stream_resuming_from_before_the_pollers_start_catches_up_from_the_feed()
    {
        var feed = new CountingFeed();
        feed.Add(30);
        var hub = new RelyingPartyFeedHub(feed, NullLogger<RelyingPartyFeedHub>.Instance);
        using var late = hub.Subscribe("rp-44-aaaaaaaaaaaaaaaa", 20);
        using var early = hub.Subscribe("rp-44-aaaaaaaaaaaaaaaa", 0);
        var page = await early.AfterAsync(0, CancellationToken.None);
        Assert.Equal(1, page[0].Sequence);
        Assert.Equal(30, page[^1].Sequence);
    }
}
