using System.Diagnostics;
using HdrHistogram;

namespace NationalId.Client.Load;

/// <summary>Per-second answers, errors and latency percentiles of a run: for live progress and the chart.</summary>
public sealed class TimeSeries
{
    private readonly Lock _gate = new();
    private readonly List<Bucket> _buckets = [];
    private readonly long _start = Stopwatch.GetTimestamp();

    public sealed record Point(int Second, int Answered, int Errors, double P50Ms, double P99Ms);

    private sealed class Bucket
    {
        public LongHistogram Latency { get; } = new(TimeStamp.Seconds(60), 2);

        public int Answered { get; set; }

        public int Errors { get; set; }
    }

    public void Record(long latencyTicks, bool error)
    {
        var second = (int)((Stopwatch.GetTimestamp() - _start) / Stopwatch.Frequency);
        lock (_gate)
        {
            while (_buckets.Count <= second)
            {
                _buckets.Add(new Bucket());
            }

            var bucket = _buckets[second];
            bucket.Answered++;
            bucket.Errors += error ? 1 : 0;
            bucket.Latency.RecordValue(Math.Max(1, latencyTicks));
        }
    }

    public IReadOnlyList<Point> Points()
    {
        lock (_gate)
        {
            return _buckets.Select((b, i) => new Point(
                i,
                b.Answered,
                b.Errors,
                b.Answered == 0 ? 0 : b.Latency.GetValueAtPercentile(50) * 1000.0 / Stopwatch.Frequency,
                b.Answered == 0 ? 0 : b.Latency.GetValueAtPercentile(99) * 1000.0 / Stopwatch.Frequency)).ToList();
        }
    }

    /// <summary>The last complete second, for a progress line (a second with no answers at all shows 0/s).</summary>
    public Point? LastComplete()
    {
        var second = (int)((Stopwatch.GetTimestamp() - _start) / Stopwatch.Frequency) - 1;
        if (second < 0)
        {
            return null;
        }

        var points = Points();
        return second < points.Count ? points[second] : new Point(second, 0, 0, 0, 0);
    }
}
