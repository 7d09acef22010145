using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using NationalId.Api;

namespace NationalId.Client.Import;

/// <summary>The outcome of an import run (this run's lines; a resumed run counts from its checkpoint).</summary>
public sealed record ImportSummary(long Imported, long AlreadyEnrolled, long Rejected, long Skipped, double Seconds)
{
    public double PerSecond => (Imported + AlreadyEnrolled) / Math.Max(Seconds, 0.001);
}

/// <summary>How to run an import; <paramref name="Checkpointed"/> hears every new checkpoint (after it is on disk).</summary>
public sealed record ImportOptions(
    int BatchSize = 2000, int Parallel = 2, string? Checkpoint = null, string? RejectedReport = null, long? TotalLines = null, Action<long>? Checkpointed = null);

/// <summary>
/// <c>nid operator import</c>: sends register lines in batches to <c>POST /v1/operator/citizens/import</c>, a few in
/// flight, retrying what the service could not store yet (503, a shard failing over), and keeps two files beside the
/// register: the checkpoint (the last line up to which every line has an answer; a run started again skips to it)
/// and the rejected-lines report (<c>line,code</c>, nothing personal). Idempotent on the service's side, so a line
/// sent twice (after a crash between an answer and its checkpoint) is "already enrolled", never enrolled twice.
/// </summary>
public static class RegisterImport
{
    private const int MaxAttempts = 60;

    public static async Task<ImportSummary> RunAsync(
        HttpClient http, string operatorKey, IEnumerable<SourceLine> source, ImportOptions options, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var resumeAfter = options.Checkpoint is { } cp && File.Exists(cp) ? long.Parse(File.ReadAllText(cp).Trim(), CultureInfo.InvariantCulture) : 0;
        var reported = options.RejectedReport is { } rr && File.Exists(rr)
            ? File.ReadLines(rr).Skip(1).Select(l => long.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToHashSet()
            : [];
        using var report = options.RejectedReport is null ? null : new StreamWriter(options.RejectedReport, append: true);
        if (report is not null && reported.Count == 0 && report.BaseStream.Length == 0)
        {
            await report.WriteLineAsync("line,code");
        }

        long imported = 0, already = 0, rejected = 0, skipped = 0;
        var reportGate = new object();
        void Reject(long line, string code)
        {
            lock (reportGate)
            {
                rejected++;
                if (report is not null && reported.Add(line))
                {
                    report.WriteLine(FormattableString.Invariant($"{line},{code}"));
                }
            }
        }

        // Batches finish out of order: the checkpoint advances over the longest prefix of finished ones.
        var inFlight = new SortedDictionary<long, bool>(); // first line of a batch -> finished
        var lastLineOf = new Dictionary<long, long>();
        var checkpoint = resumeAfter;
        void Finished(long first)
        {
            lock (inFlight)
            {
                inFlight[first] = true;
                while (inFlight.Count > 0 && inFlight.First() is { Value: true } done)
                {
                    checkpoint = lastLineOf[done.Key];
                    inFlight.Remove(done.Key);
                    lastLineOf.Remove(done.Key);
                }

                if (options.Checkpoint is { } path)
                {
                    lock (reportGate)
                    {
                        report?.Flush(); // a rejection is on disk before the checkpoint passes its line
                    }

                    File.WriteAllText(path + ".tmp", checkpoint.ToString(CultureInfo.InvariantCulture));
                    File.Move(path + ".tmp", path, overwrite: true);
                }

                options.Checkpointed?.Invoke(checkpoint);
            }
        }

        var lastPrint = TimeSpan.Zero;
        void Progress(bool final = false)
        {
            var elapsed = clock.Elapsed;
            if (!final && elapsed - lastPrint < TimeSpan.FromSeconds(progress == Console.Error && !Console.IsErrorRedirected ? 0.5 : 5))
            {
                return;
            }

            lastPrint = elapsed;
            var done = Interlocked.Read(ref imported) + Interlocked.Read(ref already) + Interlocked.Read(ref rejected);
            var rate = done / Math.Max(elapsed.TotalSeconds, 0.001);
            var total = options.TotalLines is { } t ? t - resumeAfter : (long?)null;
            var eta = total is { } left && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, left - done) / rate).ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "?";
            var line = FormattableString.Invariant(
                $"{done:N0}{(total is { } all ? $"/{all:N0}" : string.Empty)} lines  {rate:N0}/s  ETA {eta}  imported {imported:N0}  already {already:N0}  rejected {rejected:N0}");
            progress.Write(progress == Console.Error && !Console.IsErrorRedirected ? $"\r{line}   " : line + Environment.NewLine);
            if (final && progress == Console.Error && !Console.IsErrorRedirected)
            {
                progress.WriteLine();
            }
        }

        using var slots = new SemaphoreSlim(Math.Max(1, options.Parallel));
        var running = new List<Task>();
        var batch = new List<SourceLine>(options.BatchSize);
        async Task Send(List<SourceLine> lines)
        {
            try
            {
                var (imp, al) = await SendBatchAsync(http, operatorKey, lines, Reject, cancellationToken);
                Interlocked.Add(ref imported, imp);
                Interlocked.Add(ref already, al);
                Finished(lines[0].Number);
                Progress();
            }
            finally
            {
                slots.Release();
            }
        }

        foreach (var line in source)
        {
            if (line.Number <= resumeAfter)
            {
                skipped++;
                continue;
            }

            if (line.Problem is { } problem)
            {
                Reject(line.Number, problem);
                if (batch.Count == 0)
                {
                    // Nothing pending before it: the checkpoint may pass it once earlier batches are done.
                    lock (inFlight)
                    {
                        inFlight[line.Number] = false;
                        lastLineOf[line.Number] = line.Number;
                    }

                    Finished(line.Number);
                }

                continue;
            }

            batch.Add(line);
            if (batch.Count == options.BatchSize)
            {
                await slots.WaitAsync(cancellationToken);
                running.Add(Start(batch));
                batch = new List<SourceLine>(options.BatchSize);
            }

            running.RemoveAll(t => t.IsCompletedSuccessfully);
            if (running.FirstOrDefault(t => t.IsFaulted) is { } failed)
            {
                await failed;
            }
        }

        if (batch.Count > 0)
        {
            await slots.WaitAsync(cancellationToken);
            running.Add(Start(batch));
        }

        await Task.WhenAll(running);
        Progress(final: true);
        return new ImportSummary(imported, already, rejected, skipped, clock.Elapsed.TotalSeconds);

        Task Start(List<SourceLine> lines)
        {
            lock (inFlight)
            {
                inFlight[lines[0].Number] = false;
                lastLineOf[lines[0].Number] = lines[^1].Number;
            }

            return Task.Run(() => Send(lines), cancellationToken);
        }
    }

    /// <summary>{"lines":[…]} from the lines' own bytes (a <see cref="CitizenImportRequest"/>, without re-serializing each line).</summary>
    private static ByteArrayContent Body(List<SourceLine> lines)
    {
        var body = new byte[lines.Sum(l => l.Json!.Length + 1) + 11];
        "{\"lines\":["u8.CopyTo(body);
        var at = 10;
        foreach (var line in lines)
        {
            if (at > 10)
            {
                body[at++] = (byte)',';
            }

            line.Json!.CopyTo(body, at);
            at += line.Json.Length;
        }

        body[at++] = (byte)']';
        body[at++] = (byte)'}';
        var content = new ByteArrayContent(body, 0, at);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Sends one batch until every line has an answer; returns (imported, already enrolled).</summary>
    private static async Task<(long Imported, long Already)> SendBatchAsync(
        HttpClient http, string operatorKey, List<SourceLine> lines, Action<long, string> reject, CancellationToken cancellationToken)
    {
        long imported = 0, already = 0;
        var pending = lines;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            if (attempt > MaxAttempts)
            {
                throw new InvalidOperationException($"The service did not take lines {pending[0].Number}-{pending[^1].Number} after {MaxAttempts} attempts; run the import again to resume.");
            }

            CitizenImportResponse? answer = null;
            var wait = TimeSpan.FromSeconds(1);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/operator/citizens/import") { Content = Body(pending) };
                request.Headers.Add("X-Operator-Key", operatorKey);
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    answer = await response.Content.ReadFromJsonAsync<CitizenImportResponse>(ApiClientJson.Options, cancellationToken);
                }
                else if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
                {
                    wait = response.Headers.RetryAfter?.Delta ?? wait;
                }
                else
                {
                    throw new InvalidOperationException($"The service refused the batch of lines {pending[0].Number}-{pending[^1].Number}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }
            catch (HttpRequestException)
            {
                // The service away (a silo restarting): the same batch again; whatever it stored is "already enrolled".
            }

            if (answer is null)
            {
                await Task.Delay(wait, cancellationToken);
                continue;
            }

            imported += answer.Imported;
            already += answer.AlreadyEnrolled;
            foreach (var r in answer.Rejected)
            {
                reject(r.Line, r.Code);
            }

            var again = answer.Unavailable.ToHashSet();
            pending = pending.Where(l => again.Contains(l.Number)).ToList();
            if (pending.Count > 0)
            {
                await Task.Delay(wait, cancellationToken);
            }
        }

        return (imported, already);
    }
}
