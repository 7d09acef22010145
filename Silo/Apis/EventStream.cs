using System.Text.Json;

namespace NationalId.Silo.Apis;

/// <summary>
/// Server-sent events (text/event-stream) over a durable, ordered feed: sends what is after the client's
/// Last-Event-ID, then polls for more until the client leaves or the connection's time is up (clients reconnect with
/// Last-Event-ID, as EventSource does by itself). Delivery is at least once; each event carries its id.
/// </summary>
public static class EventStream
{
    public sealed record Item(string Id, string Event, object Data);

    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan MaxConnection = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Streams until the client leaves, the connection's time is up, or <paramref name="fetch"/> answers null: the
    /// caller's authority is re-checked at every poll, and a stream whose RP was suspended, whose key was retired or
    /// whose phone was revoked ends within one poll interval.
    /// </summary>
    public static async Task RunAsync(HttpContext context, string? after, Func<string?, CancellationToken, Task<IReadOnlyList<Item>?>> fetch, TimeProvider clock)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync($"retry: 2000\n\n", context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);

        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        lifetime.CancelAfter(MaxConnection);
        var lastWrite = clock.GetUtcNow();
        try
        {
            while (!lifetime.IsCancellationRequested)
            {
                var items = await fetch(after, lifetime.Token);
                if (items is null)
                {
                    break; // no longer authorized: the client reconnects and is told why
                }

                foreach (var item in items)
                {
                    var data = JsonSerializer.Serialize(item.Data, ApiJson.Options);
                    await response.WriteAsync($"id: {item.Id}\nevent: {item.Event}\ndata: {data}\n\n", lifetime.Token);
                    after = item.Id;
                }

                if (items.Count > 0 || clock.GetUtcNow() - lastWrite > Heartbeat)
                {
                    if (items.Count == 0)
                    {
                        await response.WriteAsync(": keep-alive\n\n", lifetime.Token);
                    }

                    await response.Body.FlushAsync(lifetime.Token);
                    lastWrite = clock.GetUtcNow();
                }

                if (items.Count == 0)
                {
                    await Task.Delay(PollInterval, clock, lifetime.Token);
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            // The client left or the connection's time is up: it reconnects with Last-Event-ID.
        }
    }

    /// <summary>The position to resume after: the Last-Event-ID header, else the "after" query value.</summary>
    public static string? ResumeAfter(HttpRequest request, string? after) =>
        request.Headers["Last-Event-ID"].FirstOrDefault() is { Length: > 0 } last ? last : after;

    public static bool Wanted(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true);
}
