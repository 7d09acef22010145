using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using NationalId.Client.Wallet;
using NationalId.Protocol;
using NationalId.Silo.Apis;
using NationalId.Tests.EndToEnd;
using NationalId.Tests.Support;
using Xunit.Abstractions;

namespace NationalId.Tests.TrustBoundaries;

/// <summary>
/// A gateway with the production per-source limits, behind a "proxy" on loopback: it trusts X-Forwarded-For from
/// 127.0.0.1, so each test names its sources there (the shared test silos exempt loopback instead).
/// </summary>
public sealed class RateLimitedGatewayFixture() : GatewayFixture(
[
    "--Gateway:RateLimits:ExemptNetworks:0=192.0.2.0/24",
    "--Gateway:RateLimits:ExemptNetworks:1=2001:db8:ffff::/48",
    "--Gateway:RateLimits:TrustedProxies:0=127.0.0.1/32",
]);

/// <summary>A gateway with no trusted proxy (the default) and loopback not exempt: X-Forwarded-For must mean nothing.</summary>
public sealed class NoProxyGatewayFixture() : GatewayFixture(
[
    "--Gateway:RateLimits:ExemptNetworks:0=192.0.2.0/24",
    "--Gateway:RateLimits:ExemptNetworks:1=2001:db8:ffff::/48",
]);

/// <summary>
/// Without a trusted proxy the source is the connection's address whatever X-Forwarded-For says. Before, with no
/// proxy configured ASP.NET Core believed the header from anyone: a fresh value per request was a fresh bucket.
/// </summary>
public class ForwardedHeaderTests(NoProxyGatewayFixture gateway) : IClassFixture<NoProxyGatewayFixture>
{
    [Fact]
    public async Task A_client_cannot_name_its_own_source_when_no_proxy_is_trusted()
    {
        using var http = gateway.CreateClient();
        var (issued, refused) = (0, 0);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 200; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/wallet/capture-challenges");
            request.Headers.Add("X-Forwarded-For", i % 2 == 0 ? $"198.18.{i / 250}.{i % 250}" : "192.0.2.10"); // fresh, or an exempt network
            using var answer = await http.SendAsync(request);
            _ = answer.StatusCode == HttpStatusCode.Created ? issued++ : answer.StatusCode == HttpStatusCode.TooManyRequests ? refused++ : throw new Xunit.Sdk.XunitException($"{answer.StatusCode}");
        }

        var defaults = new SourceRateLimitOptions();
        Assert.InRange(issued, defaults.WalletBurst, defaults.WalletBurst + (defaults.WalletPerSecond * (Stopwatch.GetElapsedTime(started).TotalSeconds + 1)));
        Assert.Equal(200 - issued, refused);
    }
}

/// <summary>
/// Unauthenticated and wallet work is bounded per source: an IPv4 address or an IPv6 /64 gets a token bucket of wallet
/// requests and a budget of refused RP keys; beyond either it is answered 429 before any body, grain or storage.
/// Before, every junk request cost an activation and a storage read, with no limit.
/// </summary>
public class SourceRateLimitTests(RateLimitedGatewayFixture gateway, ITestOutputHelper output) : IClassFixture<RateLimitedGatewayFixture>
{
    private static readonly SourceRateLimitOptions Defaults = new();

    /// <summary>A wallet read naming a well-shaped handle nobody has, signed with junk: 401 when it gets through.</summary>
    private static HttpRequestMessage JunkWalletRead(Wallet phone, string source)
    {
        var handle = "c44-" + Security.Base32.Encode(RandomNumberGenerator.GetBytes(20), 32);
        var request = phone.SignedRequest(HttpMethod.Get, "/v1/wallet/history", [], withCredential: false);
        request.Headers.Add(DeviceRequestSignature.CredentialHeader, DeviceRequestSignature.CredentialReference(handle, RandomNumberGenerator.GetBytes(16)));
        request.Headers.Add("X-Forwarded-For", source);
        return request;
    }

    private static async Task<(int Through, int Limited)> SendAsync(HttpClient http, Func<HttpRequestMessage> make, int count)
    {
        var (through, limited) = (0, 0);
        for (var i = 0; i < count; i++)
        {
            using var request = make();
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("too_many_requests", await Story.ErrorCodeAsync(response));
                Assert.NotNull(response.Headers.RetryAfter);
                limited++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                through++;
            }
        }

        return (through, limited);
    }

    [Fact]
    public async Task A_source_past_its_wallet_budget_is_refused_while_other_sources_and_other_prefixes_are_not()
    {
        using var http = gateway.CreateClient();
        using var phone = Wallet.Create();
        var started = Stopwatch.GetTimestamp();
        var (through, limited) = await SendAsync(http, () => JunkWalletRead(phone, "203.0.113.7"), 200);
        var bound = Defaults.WalletBurst + (Defaults.WalletPerSecond * (Stopwatch.GetElapsedTime(started).TotalSeconds + 1));
        Assert.InRange(through, Defaults.WalletBurst, bound);
        Assert.Equal(200 - through, limited);

        // Another address is its own source (a full bucket); one IPv6 /64 is one source, another /64 another.
        Assert.Equal((1, 0), await SendAsync(http, () => JunkWalletRead(phone, "203.0.113.8"), 1));
        var alternate = 0;
        started = Stopwatch.GetTimestamp();
        var (sameSubnet, _) = await SendAsync(http, () => JunkWalletRead(phone, alternate++ % 2 == 0 ? "2001:db8:1:2::5" : "2001:db8:1:2:ffff::6"), 200);
        Assert.InRange(sameSubnet, Defaults.WalletBurst, Defaults.WalletBurst + (Defaults.WalletPerSecond * (Stopwatch.GetElapsedTime(started).TotalSeconds + 1)));
        Assert.Equal((1, 0), await SendAsync(http, () => JunkWalletRead(phone, "2001:db8:1:3::5"), 1));

        // The unauthenticated wallet routes are wallet routes: capture challenges count too.
        var (issued, refused) = (0, 0);
        started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 200; i++)
        {
            using var challenge = new HttpRequestMessage(HttpMethod.Post, "/v1/wallet/capture-challenges");
            challenge.Headers.Add("X-Forwarded-For", "203.0.113.50");
            using var answer = await http.SendAsync(challenge);
            _ = answer.StatusCode == HttpStatusCode.Created ? issued++ : answer.StatusCode == HttpStatusCode.TooManyRequests ? refused++ : throw new Xunit.Sdk.XunitException($"{answer.StatusCode}");
        }

        Assert.InRange(issued, Defaults.WalletBurst, Defaults.WalletBurst + (Defaults.WalletPerSecond * (Stopwatch.GetElapsedTime(started).TotalSeconds + 1)));
        Assert.Equal(200 - issued, refused);

        // Routing ignores the path's case, and so does the limit: it is the wallet group's, not a path prefix's.
        (issued, refused) = (0, 0);
        started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 200; i++)
        {
            using var shouted = new HttpRequestMessage(HttpMethod.Post, "/V1/WALLET/Capture-Challenges");
            shouted.Headers.Add("X-Forwarded-For", "203.0.113.51");
            using var answer = await http.SendAsync(shouted);
            _ = answer.StatusCode == HttpStatusCode.Created ? issued++ : answer.StatusCode == HttpStatusCode.TooManyRequests ? refused++ : throw new Xunit.Sdk.XunitException($"{answer.StatusCode}");
        }

        Assert.InRange(issued, Defaults.WalletBurst, Defaults.WalletBurst + (Defaults.WalletPerSecond * (Stopwatch.GetElapsedTime(started).TotalSeconds + 1)));

        // An exempt network (a load generator's) is never limited.
        Assert.Equal((Defaults.WalletBurst * 2, 0), await SendAsync(http, () => JunkWalletRead(phone, "192.0.2.10"), Defaults.WalletBurst * 2));
    }

    [Fact]
    public async Task Ten_thousand_junk_requests_from_one_source_reach_a_bounded_number_of_grains()
    {
        using var http = gateway.CreateClient();
        using var phone = Wallet.Create();
        var before = await Diagnostics.CitizenActivationsAsync(gateway);
        var started = Stopwatch.GetTimestamp();
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SendAsync(http, () => JunkWalletRead(phone, "198.51.100.23"), 2_500)));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var through = results.Sum(r => r.Through);
        var after = await Diagnostics.CitizenActivationsAsync(gateway);
        output.WriteLine($"10,000 junk wallet requests from one source in {seconds:F1} s: {through} reached a citizen grain (each at most one activation and one storage read), {10_000 - through} refused with 429; citizen activations before {before}, after {after}");
        Assert.InRange(through, 1, Defaults.WalletBurst + (Defaults.WalletPerSecond * (seconds + 1)));
        Assert.True(after <= before, $"{after - before} citizen activations left behind");
    }

    [Fact]
    public async Task A_source_that_keeps_sending_made_up_api_keys_is_refused_before_any_key_is_looked_up()
    {
        using var http = gateway.CreateClient();
        HttpRequestMessage MadeUp(string source)
        {
            var id = "rp-44-" + Security.Base32.Encode(RandomNumberGenerator.GetBytes(10), 16).ToLowerInvariant();
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications") { Content = JsonContent.Create(new { scope = "rail.gate", presentation = "NID1.x" }) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", $"{id}.{Base64Url.Encode(RandomNumberGenerator.GetBytes(32))}");
            request.Headers.Add("X-Forwarded-For", source);
            return request;
        }

        var (through, limited) = await SendAsync(http, () => MadeUp("203.0.113.99"), Defaults.FailedAuthenticationsPerMinute + 40);
        Assert.InRange(through, Defaults.FailedAuthenticationsPerMinute, Defaults.FailedAuthenticationsPerMinute + 2);
        Assert.Equal(Defaults.FailedAuthenticationsPerMinute + 40 - through, limited);
        Assert.Equal((1, 0), await SendAsync(http, () => MadeUp("203.0.113.100"), 1));
    }
}
