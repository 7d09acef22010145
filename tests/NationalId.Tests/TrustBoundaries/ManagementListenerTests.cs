using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using NationalId.Silo.Hosting;
using NationalId.Tests.EndToEnd;
using NationalId.Tests.Support;

namespace NationalId.Tests.TrustBoundaries;

/// <summary>
/// Ports by audience: with a management listener configured, metrics, health and diagnostics are served there and only
/// there, the public API only on the public listener; a Host header naming the other port changes nothing.
/// </summary>
public sealed class ManagementListenerTests : IAsyncLifetime
{
    private readonly int _public = FreePort.Next();
    private readonly int _management = FreePort.Next();
    private PostgresDatabase _database = null!;
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        using var presentationKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _app = await NationalIdSilo.BuildAsync(
        [
            $"--Urls=http://127.0.0.1:{_public}",
            $"--Gateway:ManagementUrls=http://127.0.0.1:{_management}",
            $"--ConnectionStrings:NationalId={_database.ConnectionString}",
            "--Logging:LogLevel:Default=Warning",
            .. SiloArguments.Make($"mgmt-{Guid.NewGuid():N}", "k", presentationKey),
        ]);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static async Task<(HttpStatusCode Status, string? Code)> GetAsync(int port, string path, string? host = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await http.SendAsync(request);
        var code = response.StatusCode == HttpStatusCode.NotFound ? await Story.ErrorCodeAsync(response) : null;
        return (response.StatusCode, code);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/health/ready")]
    [InlineData("/health/live")]
    [InlineData("/v1/operator/diagnostics/placement")]
    public async Task Operations_paths_answer_only_on_the_management_listener(string path)
    {
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), await GetAsync(_public, path));
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), await GetAsync(_public, path, host: $"127.0.0.1:{_management}"));
        Assert.NotEqual(HttpStatusCode.NotFound, (await GetAsync(_management, path)).Status);
    }

    [Fact]
    public async Task The_public_api_answers_only_on_the_public_listener()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(_public, "/v1/wallet/presentation-key")).Status);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), await GetAsync(_management, "/v1/wallet/presentation-key"));
    }

    [Theory]
    [InlineData("/v1/operator/diagnostics/memory")]
    [InlineData("/v1/operator/diagnostics/deactivate-idle")]
    public async Task The_benchmark_probes_are_not_served_by_the_production_silo_even_to_an_operator_on_the_management_listener(string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_management}") };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Operator-Key", "k");
        using var response = await http.SendAsync(request);
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (response.StatusCode, await Story.ErrorCodeAsync(response)));
    }
}
