using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NationalId.Silo.Apis;
using NationalId.Tests.EndToEnd;

namespace NationalId.Tests.TrustBoundaries;

/// <summary>
/// Every endpoint the gateway serves has a decision about who may call it, made once for its route group
/// (<see cref="GatewayPolicies"/>): an operator route without the operator policy, or any route without a decision,
/// fails here. Before, the operator check was an endpoint filter re-attached in five places.
/// </summary>
[Collection(GatewayCollection.Name)]
public class EndpointAuthorizationTests(GatewayFixture gateway)
{
    /// <summary>Route prefixes open at the group because each request proves itself, and how.</summary>
    private static readonly (string Prefix, string ProvenBy)[] OpenGroups =
    [
        ("/v1/wallet", "a device signature (or nothing to protect: presentation key, capture challenges)"),
        ("/v1/verifications", "the RP's API key"),
        ("/v1/relying-parties/me", "the RP's API key"),
        ("/health", "nothing: liveness and readiness"),
        ("/metrics", "the management listener (ManagementListener)"),
        ("/openapi", "nothing: the published contract"),
    ];

    private static bool RequiresOperator(Endpoint endpoint) =>
        endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == GatewayPolicies.Operator)
        && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;

    private static bool IsOpen(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null && !endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any();

    [Fact]
    public void Every_operator_route_requires_the_operator_policy_and_every_other_route_is_open_by_a_stated_decision()
    {
        var endpoints = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} endpoints found");
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (pattern.StartsWith("/v1/operator/", StringComparison.Ordinal))
            {
                if (!RequiresOperator(endpoint))
                {
                    problems.Add($"{pattern}: an operator route without the operator policy");
                }
            }
            else if (!IsOpen(endpoint) || !OpenGroups.Any(g => pattern.StartsWith(g.Prefix, StringComparison.Ordinal)))
            {
                problems.Add($"{pattern}: neither an operator route nor in a group that is open on purpose");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_wallet_route_requires_the_per_source_limit()
    {
        var wallet = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText!.TrimStart('/')).StartsWith("/v1/wallet", StringComparison.Ordinal))
            .ToList();
        Assert.True(wallet.Count >= 10, $"only {wallet.Count} wallet endpoints found");
        foreach (var endpoint in wallet)
        {
            Assert.True(
                endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>()?.PolicyName == SourceRateLimits.WalletPolicy,
                $"{endpoint.RoutePattern.RawText}: no per-source limit");
        }
    }

    [Fact]
    public async Task Every_operator_route_answers_401_without_the_key_and_with_a_wrong_one()
    {
        using var http = gateway.CreateClient();
        var operatorRoutes = gateway.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("v1/operator/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Endpoint: e)))
            .ToList();
        Assert.NotEmpty(operatorRoutes);
        foreach (var (method, endpoint) in operatorRoutes)
        {
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(s =>
                string.Concat(s.Parts.Select(p => p is Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l ? l.Content : "x"))));
            foreach (var key in new string?[] { null, "wrong", gateway.OperatorKey + "x" })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method != "GET")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }

                if (key is not null)
                {
                    request.Headers.Add(OperatorKeyHandler.KeyHeader, key);
                }

                using var response = await http.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with key '{key}': {response.StatusCode}");
                Assert.Equal("invalid_operator_key", await Story.ErrorCodeAsync(response));
            }
        }
    }
}
