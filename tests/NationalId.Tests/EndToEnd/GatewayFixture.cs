using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using NationalId.Silo.Hosting;
using NationalId.Tests.Support;
using OpenTelemetry.Trace;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// The real service for end-to-end tests: the production host (silo + HTTP gateway, ADO.NET clustering and grain
/// storage, the history journal) on its own PostgreSQL database, listening on a free loopback port. Restart stops
/// the process's host and starts a new one on the same database, so state must come back from PostgreSQL.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    private readonly string[] _args;
    private readonly int _httpPort = FreePort.Next();
    private WebApplication? _app;
    private string[] _prepared = [];

    public GatewayFixture()
        : this([])
    {
    }

    /// <summary>A gateway with settings of its own after the shared ones (later settings win).</summary>
    protected GatewayFixture(string[] extraArguments)
    {
        OperatorKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
        using var presentationKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        P256PresentationPublicKey = presentationKey.ExportParameters(false);
        _args =
        [
            $"--Urls=http://127.0.0.1:{_httpPort}",
            .. SiloArguments.Make(ClusterId, OperatorKey, presentationKey),
            "--NationalId:RelyingPartyPolicyTtl=00:00:00.200",
            "--Logging:LogLevel:Orleans=Error",
            .. extraArguments,
        ];
    }

    public PostgresDatabase Database { get; private set; } = null!;

    public string OperatorKey { get; }

    /// <summary>The suite-1 (P-256) key, id 1: still accepted after wallets moved to the X25519 key, id 2.</summary>
    public ECParameters P256PresentationPublicKey { get; }

    public string ClusterId { get; }

    /// <summary>Every span the silo finished, as its exporter received it (after redaction).</summary>
    public List<System.Diagnostics.Activity> ExportedSpans { get; } = [];

    public Uri BaseAddress => new($"http://127.0.0.1:{_httpPort}");

    /// <summary>The running gateway's services (its endpoints, its options).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The gateway is not running.");

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        Database = await PostgresDatabase.CreateAsync();
        _prepared = await PrepareAsync();
        await StartAsync();
    }

    /// <summary>Settings a derived fixture can only make once the national database exists (more databases, say).</summary>
    protected virtual Task<string[]> PrepareAsync() => Task.FromResult<string[]>([]);

    /// <summary>Builds, without starting, another host on the same settings with <paramref name="overrides"/> last.</summary>
    public Task<WebApplication> BuildAnotherAsync(params string[] overrides) =>
        NationalIdSilo.BuildAsync([.. _args, $"--ConnectionStrings:NationalId={Database.ConnectionString}", .. _prepared, .. overrides]);

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await StopAsync();
        await Database.DisposeAsync();
    }

    private async Task StartAsync()
    {
        // Tracing on, into memory: the trace privacy test reads what an exporter would have sent.
        _app = await NationalIdSilo.BuildAsync(
            [.. _args, $"--ConnectionStrings:NationalId={Database.ConnectionString}", .. _prepared, "--Telemetry:Tracing=true"],
            b => b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(ExportedSpans)));
        MapExtra(_app);
        await _app.StartAsync();
    }

    /// <summary>Routes a derived fixture adds to the production gateway before it starts (the benchmark host's probes).</summary>
    protected virtual void MapExtra(WebApplication app)
    {
    }

    private async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }
}
