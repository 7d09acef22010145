using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using NationalId.Errors;
using NationalId.Telemetry;
using IPNetwork = System.Net.IPNetwork;

namespace NationalId.Silo.Apis;

/// <summary>Per-source limits of the public listener, bound from "Gateway:RateLimits".</summary>
public sealed class SourceRateLimitOptions
{
    public const string Section = "Gateway:RateLimits";

    /// <summary>
    /// Wallet requests (every /v1/wallet route, the unauthenticated ones included) one source may make per second on one
    /// gateway. Generous because mobile carriers put many phones behind one IPv4 address; a phone makes a few a day.
    /// </summary>
    public int WalletPerSecond { get; set; } = 20;

    /// <summary>Wallet requests one source may make at once after being idle (the token bucket's size).</summary>
    public int WalletBurst { get; set; } = 60;

    /// <summary>
    /// Refused RP authentications (made-up or wrong API keys) one source may cause per minute on one gateway; beyond,
    /// its RP requests are refused before any key is looked up. RP traffic that authenticates is limited per RP, not
    /// per source: a station's gates share one address.
    /// </summary>
    public int FailedAuthenticationsPerMinute { get; set; } = 60;

    /// <summary>Networks (CIDR) exempt from the per-source limits: a load generator's, never the internet's.</summary>
    public List<string> ExemptNetworks { get; set; } = [];

    /// <summary>
    /// Proxies (CIDR) whose X-Forwarded-For names the real source: the ingress. From anyone else the header is ignored,
    /// or every request could name a fresh source.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}

/// <summary>
/// The public listener's per-source limits (docs/reference/api.md, Limits per source): a token bucket per source for every
/// wallet route, and a budget of refused RP authentications per source. A source is an IPv4 address or an IPv6 /64
/// (one subscriber's prefix), after X-Forwarded-For from a trusted proxy. Refusals are 429 too_many_requests with
/// Retry-After, answered before any body is read or any grain is called.
/// </summary>
public static class SourceRateLimits
{
    /// <summary>The rate-limiting policy the wallet route group requires (every route in it, whatever the path's case).</summary>
    public const string WalletPolicy = "wallet-per-source";

    public static void AddSourceRateLimits(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SourceRateLimitOptions.Section).Get<SourceRateLimitOptions>() ?? new SourceRateLimitOptions();
        var exempt = options.ExemptNetworks.Select(IPNetwork.Parse).ToArray();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new FailedAuthentications(options, exempt));
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var proxy in options.TrustedProxies)
            {
                o.KnownIPNetworks.Add(IPNetwork.Parse(proxy));
            }

            o.ForwardLimit = 1; // the address the ingress saw, not what the client wrote before it
        });
        builder.Services.AddRateLimiter(o =>
        {
            // A policy on the wallet group, not a path test: routing matches paths regardless of case, so a path prefix
            // compared here would let /V1/WALLET/... through; the group's metadata cannot be spelled around.
            o.AddPolicy(WalletPolicy, context =>
                SourceOf(context.Connection.RemoteIpAddress, exempt) is { } source
                    ? RateLimitPartition.GetTokenBucketLimiter(source, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.WalletBurst,
                        TokensPerPeriod = options.WalletPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            o.OnRejected = async (rejected, cancellationToken) =>
            {
                rejected.HttpContext.RequestServices.GetRequiredService<NationalIdMetrics>().RateLimited("wallet");
                await TooManyRequests(rejected.HttpContext, $"At most {options.WalletPerSecond} wallet requests per second from one source; retry shortly.");
            };
        });
    }

    /// <summary>
    /// Forwarded headers, only when proxies are configured (with none, ASP.NET Core would believe X-Forwarded-For from
    /// anyone: every request could name a fresh source), then the limiter, which runs before any handler.
    /// </summary>
    public static void UseSourceRateLimits(this WebApplication app)
    {
        if (app.Services.GetRequiredService<SourceRateLimitOptions>().TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseRateLimiter();
    }

    /// <summary>The partition key of a source: an IPv4 address, an IPv6 /64; null when exempt (or unknown: in-process).</summary>
    public static string? SourceOf(IPAddress? address, IReadOnlyList<IPNetwork> exempt)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in exempt)
        {
            if (network.Contains(address))
            {
                return null;
            }
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out _);
            return "6:" + Convert.ToHexString(bytes[..8]);
        }

        return address.ToString();
    }

    public static async Task TooManyRequests(HttpContext context, string detail)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = "1";
        await ApiErrors.Problem(ErrorCodes.TooManyRequests, detail).ExecuteAsync(context);
    }
}

/// <summary>
/// The budget of refused RP authentications per source (<see cref="SourceRateLimitOptions.FailedAuthenticationsPerMinute"/>):
/// spent by each 401 invalid_api_key, checked before a key is looked up. A stream of made-up RP ids from one source
/// then costs a bounded number of directory misses (each one a grain call) per minute.
/// </summary>
public sealed class FailedAuthentications(SourceRateLimitOptions options, IReadOnlyList<IPNetwork> exempt) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _budget = PartitionedRateLimiter.Create<string, string>(source =>
        RateLimitPartition.GetTokenBucketLimiter(source, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.FailedAuthenticationsPerMinute,
            TokensPerPeriod = options.FailedAuthenticationsPerMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>The source's key, or null when it is exempt or unknown.</summary>
    public string? Source(HttpContext context) => SourceRateLimits.SourceOf(context.Connection.RemoteIpAddress, exempt);

    /// <summary>True when the source has refused authentications left in its budget (or is exempt).</summary>
    public bool MayTry(string? source) => source is null || _budget.GetStatistics(source)?.CurrentAvailablePermits > 0;

    /// <summary>Spends one of the source's refused authentications.</summary>
    public void Refused(string? source)
    {
        if (source is not null)
        {
            using var _ = _budget.AttemptAcquire(source);
        }
    }

    public void Dispose() => _budget.Dispose();
}
