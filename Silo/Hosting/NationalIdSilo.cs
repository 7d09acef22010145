using System.Net;
using NationalId.Capture;
using NationalId.Cards;
using NationalId.Citizens;
using NationalId.Events;
using NationalId.History;
using NationalId.Placement;
using NationalId.RelyingParties;
using NationalId.Security;
using NationalId.Silo.Apis;
using NationalId.Silo.Database;
using NationalId.Storage;
using NationalId.Telemetry;
using NationalId.Verification;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Orleans.Streams;

namespace NationalId.Silo.Hosting;

/// <summary>
/// Builds the one process we deploy: an Orleans silo with the HTTP gateway and /metrics co-hosted. Program.cs and
/// the end-to-end tests both start it through here, so tests run exactly what production runs.
/// </summary>
public static class NationalIdSilo
{
    public const string ConnectionStringName = "NationalId";

    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        // Content root is where the binaries and appsettings.json are, whatever folder the process starts in.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddRedactedConsole();

        // Spans are redacted before any exporter sees them: registered before customize, so before any exporter.
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(new RedactingActivityProcessor()));
        customize?.Invoke(builder);
        var configuration = builder.Configuration;
        var connectionString = configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException($"Set ConnectionStrings:{ConnectionStringName} (env ConnectionStrings__{ConnectionStringName}).");

        // Where citizens live (docs/decisions/scaling.md): built first, so that every database is migrated and checked
        // against it before anything serves.
        var shardMap = new ShardMap(
            new RegionMap(Microsoft.Extensions.Options.Options.Create(configuration.GetSection(NationalIdOptions.Section).Get<NationalIdOptions>() ?? new NationalIdOptions())),
            configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions(),
            connectionString);
        using (var loggerFactory = LoggerFactory.Create(l => l.AddConsole()))
        {
            var scripts = configuration["Database:Scripts"] ?? Path.Combine(AppContext.BaseDirectory, "sql");
            await SchemaMigrator.ApplyAllAsync(shardMap, connectionString, scripts, loggerFactory.CreateLogger("NationalId.Schema"));
        }

        builder.Services.AddNationalIdServices(configuration);

        // Built before the host so that grain storage can seal citizens' personal data; missing keys stop the start.
        var protector = new CitizenDataProtector(Microsoft.Extensions.Options.Options.Create(
            configuration.GetSection(NationalIdOptions.Section).Get<NationalIdOptions>() ?? new NationalIdOptions()));
        builder.Services.AddSingleton(protector);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton(shardMap);
        builder.Services.AddSingleton(sp => new ShardDataSources(shardMap, sp.GetRequiredService<NpgsqlDataSource>(), connectionString));
        builder.Services.AddSingleton(sp => new ShardedAccessHistory(shardMap, [.. shardMap.Shards.Select(shard =>
            ActivatorUtilities.CreateInstance<PostgresAccessHistory>(sp, sp.GetRequiredService<ShardDataSources>()[shard]))]));
        builder.Services.AddSingleton<IAccessHistory>(sp => sp.GetRequiredService<ShardedAccessHistory>());
        builder.Services.AddSingleton<CitizenImporter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShardedAccessHistory>());
        builder.Services.Configure<HistoryOptions>(configuration.GetSection(HistoryOptions.Section));
        builder.Services.AddHostedService<HistoryMaintainer>();
        builder.Services.AddSingleton<IRelyingPartyFeed, PostgresRelyingPartyFeed>();
        builder.Services.AddSingleton<RelyingPartyFeedHub>();
        builder.Services.AddSingleton<EventStreamLimits>();

        // Our handlers refuse bodies over JsonBody.MaxBytes with 413; Kestrel's own limit is higher so that it can
        // still drain a refused body and answer cleanly instead of resetting the connection mid-request.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        var managementPorts = ManagementListener.Listen(builder);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();
        builder.Services.AddOpenApi();
        builder.Services.Configure<GatewayApiOptions>(configuration.GetSection(GatewayApiOptions.Section));
        builder.AddSourceRateLimits();
        builder.Services.AddGatewayAuthorization();
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));

        var tracing = configuration.GetValue("Telemetry:Tracing", false);
        var otel = builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(NationalIdMetrics.MeterName, "Microsoft.Orleans")
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        if (tracing)
        {
            // Traces are off unless asked for (Telemetry:Tracing=true; exporters: OTEL_EXPORTER_OTLP_* with an OTLP
            // exporter added by the deployment, or an in-memory one in tests). Every span is redacted first.
            otel.WithTracing(t => t.AddSource("Microsoft.Orleans.*").AddAspNetCoreInstrumentation());
        }

        builder.UseOrleans(silo =>
        {
            var orleans = configuration.GetSection("Orleans");
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = orleans["ClusterId"] ?? "national-id-local";
                o.ServiceId = orleans["ServiceId"] ?? "national-id";
            });
            silo.ConfigureEndpoints(
                IPAddress.Parse(orleans["AdvertisedIP"] ?? "127.0.0.1"),
                orleans.GetValue("SiloPort", 11111),
                orleans.GetValue("GatewayPort", 30000),
                listenOnAnyHostAddress: orleans.GetValue("ListenOnAnyHostAddress", false));
            // Failure detection: Orleans' defaults unless Orleans:Membership says otherwise (docs/decisions/scaling.md: shorter
            // probes fail over faster, but on saturated cores they also declare live silos dead).
            silo.Configure<ClusterMembershipOptions>(orleans.GetSection("Membership"));
            UseClusterTls(silo, orleans.GetSection("Tls"));
            silo.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            silo.AddAdoNetGrainStorage(StorageNames.Default, o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
                o.GrainStorageSerializer = new GrainStateJsonSerializer(protector);
            });

            // Citizens: one ADO.NET provider per shard, behind one that routes by the citizen's handle.
            foreach (var shard in shardMap.Shards)
            {
                silo.AddAdoNetGrainStorage(ShardedGrainStorage.ProviderName(shard), o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = shard.ConnectionString;
                    o.GrainStorageSerializer = new GrainStateJsonSerializer(protector);
                });
            }

            silo.Services.AddGrainStorage(StorageNames.Citizens, (sp, _) => new ShardedGrainStorage(shardMap,
                [.. shardMap.Shards.Select(shard => sp.GetRequiredKeyedService<IGrainStorage>(ShardedGrainStorage.ProviderName(shard)))]));

            // Credential events and RP changes: a persistent stream on PostgreSQL, implicit subscribers only.
            silo.AddAdoNetStreams(EventStreams.Provider, streams =>
            {
                streams.ConfigureAdoNet(o => o.Configure(a =>
                {
                    a.Invariant = "Npgsql";
                    a.ConnectionString = connectionString;
                }));
                streams.ConfigurePartitioning(orleans.GetValue("EventQueues", 4));
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            });
            silo.AddNationalIdPlacement(orleans["Region"]);
            if (tracing)
            {
                silo.AddActivityPropagation();
            }

            // In a Kubernetes pod (deploy/k8s): silo name from the pod, cluster and service ids from its orleans/*
            // labels, and silos whose pod is gone declared dead at once instead of after failed probes.
            if (orleans.GetValue("Kubernetes", false))
            {
                silo.UseKubernetesHosting();
            }
        });

        var app = builder.Build();

        // Fail at start, not on the first request, when secrets or keys are missing or malformed.
        app.Services.GetRequiredService<CitizenHandles>();
        app.Services.GetRequiredService<PresentationKeyRing>();
        app.Services.GetRequiredService<RegionMap>();
        app.Services.GetRequiredService<Statutory.StatutorySealer>();
        app.UseExceptionHandler();
        app.UseProblemResponses();
        app.UseManagementListener(managementPorts);
        app.UseSourceRateLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi().AllowAnonymous();
        app.MapPrometheusScrapingEndpoint().AllowAnonymous(); // the management listener only (ManagementListener)
        app.MapHealthApi();

        // Who may call what is decided here, once per group (GatewayPolicies; EndpointAuthorizationTests checks every
        // endpoint): operators by policy; phones and RPs prove themselves in every request, so their groups are open.
        var operators = app.MapGroup("/v1/operator").WithTags("Operator").RequireAuthorization(GatewayPolicies.Operator);
        var wallet = app.MapGroup("/v1/wallet").WithTags("Wallet").AllowAnonymous().RequireRateLimiting(SourceRateLimits.WalletPolicy);
        var relyingParties = app.MapGroup("/v1").WithTags("Relying parties").AllowAnonymous();
        operators.MapOperatorApi();
        operators.MapImportApi();
        operators.MapDiagnosticsApi();
        operators.MapCounterApi(wallet);
        wallet.MapWalletApi();
        relyingParties.MapVerificationApi();
        relyingParties.MapEventsApi(wallet);
        return app;
    }

    /// <summary>
    /// Mutual TLS on the silo and gateway ports (Orleans:Tls:CertificatePath, :CertificatePassword, :CaPath): a peer
    /// or client without a certificate of the cluster's CA is refused. Off only when Orleans:Tls:Enabled is false,
    /// said loudly: without it anyone who reaches the ports can call any grain.
    /// </summary>
    private static void UseClusterTls(ISiloBuilder silo, IConfigurationSection tls)
    {
        if (!tls.GetValue("Enabled", true))
        {
            Console.Error.WriteLine("WARNING: Orleans:Tls:Enabled=false: the silo and gateway ports accept anyone.");
            return;
        }

        var path = tls["CertificatePath"];
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException(
                "Set Orleans:Tls:CertificatePath, :CertificatePassword and :CaPath (deploy/local/dev-secrets.sh makes development ones), or Orleans:Tls:Enabled=false.");
        }

        var (member, ca) = ClusterCertificates.Load(new ClusterTlsSettings(path, tls["CertificatePassword"], tls["CaPath"] ?? string.Empty, tls["KeyPath"]));
        silo.UseTls(member, o =>
        {
            o.RemoteCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
            o.ClientCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
            o.RemoteCertificateValidation = (certificate, _, _) => ClusterCertificates.IsMember(certificate, ca);
        });
    }

    /// <summary>Services the grains and the gateway need, shared with the grain test cluster.</summary>
    public static IServiceCollection AddNationalIdServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NationalIdOptions>(configuration.GetSection(NationalIdOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<NationalIdMetrics>();
        services.AddSingleton<CitizenHandles>();
        services.AddSingleton<PresentationKeyRing>();
        services.AddSingleton<RelyingPartyDirectory>();
        services.AddSingleton<CardSealer>();
        services.AddSingleton<Statutory.StatutorySealer>();
        services.AddSingleton<RelyingPartyLimits>();
        services.AddSingleton<Verifier>();
        services.AddCaptureAttestation();
        return services;
    }
}
