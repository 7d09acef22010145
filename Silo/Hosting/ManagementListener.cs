namespace NationalId.Silo.Hosting;

/// <summary>
/// Ports by audience. With <c>Gateway:ManagementUrls</c> set (e.g. <c>http://0.0.0.0:9090</c>), the silo listens there
/// too and serves metrics, health and the operator diagnostics only there, and nothing else there; the public
/// listener (<c>Urls</c>) answers those paths 404. Decided by the local port the connection arrived on, never by the
/// Host header a caller chose. Unset (a development machine), everything is on the one listener.
/// </summary>
public static class ManagementListener
{
    public const string UrlsKey = "Gateway:ManagementUrls";

    /// <summary>The paths of the operations audience: scraped, probed or used by operators' tooling, never by the public.</summary>
    public static readonly string[] Paths = ["/metrics", "/health", "/v1/operator/diagnostics"];

    /// <summary>Adds the management URLs to the listeners; returns their ports (empty when not configured).</summary>
    public static IReadOnlySet<int> Listen(WebApplicationBuilder builder)
    {
        var management = builder.Configuration[UrlsKey];
        if (string.IsNullOrWhiteSpace(management))
        {
            return new HashSet<int>();
        }

        var urls = management.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var ports = urls.Select(u => new Uri(u.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal)).Port).ToHashSet();
        var publicUrls = builder.Configuration["Urls"] ?? "http://localhost:5000";
        builder.WebHost.UseUrls([.. publicUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), .. urls]);
        return ports;
    }

    /// <summary>Answers 404 (a ProblemDetails, through the status code pages) to a path on the wrong listener.</summary>
    public static WebApplication UseManagementListener(this WebApplication app, IReadOnlySet<int> ports)
    {
        if (ports.Count == 0)
        {
            return app;
        }

        app.Use((context, next) =>
        {
            var onManagement = ports.Contains(context.Connection.LocalPort);
            if (onManagement != IsManagementPath(context.Request.Path))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app;
    }

    private static bool IsManagementPath(PathString path)
    {
        foreach (var prefix in Paths)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
