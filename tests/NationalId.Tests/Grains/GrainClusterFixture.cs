using Microsoft.Extensions.DependencyInjection;
using NationalId.Events;
using NationalId.History;
using NationalId.Placement;
using NationalId.RelyingParties;
using NationalId.Telemetry;
using NationalId.Tests.Support;
using Orleans.Streams;
using Orleans.TestingHost;

namespace NationalId.Tests.Grains;

/// <summary>
/// An in-process Orleans cluster for grain behaviour: memory storage registered under the production storage name,
/// an in-memory access history and a clock the tests move.
/// </summary>
public sealed class GrainClusterFixture : IAsyncLifetime
{
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero));

    public InMemoryAccessHistory History { get; } = new();

    public InMemoryRelyingPartyFeed Feed { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The silo's services (its clock, its capture challenges).</summary>
    public IServiceProvider Silo => Cluster.GetSiloServiceProvider();

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Default);
            silo.AddMemoryGrainStorage(StorageNames.Citizens);
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.AddSingleton<IAccessHistory>(History);
            silo.AddMemoryStreams(EventStreams.Provider, b => b.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
            silo.AddNationalIdPlacement(region: null);
            silo.Services.AddSingleton<IRelyingPartyFeed>(Feed);
            silo.Services.AddSingleton<RelyingPartyDirectory>();
            silo.Services.AddMetrics();
            silo.Services.AddSingleton<NationalIdMetrics>();
            silo.Services.AddTestCaptures();
            silo.Services.Configure<NationalIdOptions>(o =>
            {
                o.HandleSecret = Convert.ToBase64String(TestIdentities.NewSecret());
                o.MaxActiveCredentials = 2;
                o.SuspendOnTravelAnomaly = true;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await TestRelyingParties.RegisterAsync(Cluster.Client);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
