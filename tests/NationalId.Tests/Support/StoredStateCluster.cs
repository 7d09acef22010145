using Microsoft.Extensions.DependencyInjection;
using NationalId.Events;
using NationalId.History;
using NationalId.Placement;
using NationalId.RelyingParties;
using NationalId.Telemetry;
using Orleans.Runtime.Hosting;
using Orleans.Streams;
using Orleans.TestingHost;

namespace NationalId.Tests.Support;

/// <summary>
/// An in-process cluster whose grain storage keeps serialized rows a test can read and tamper with
/// (<see cref="FlakyGrainStorage"/>), a clock the test moves (or the system's), an in-memory history (or the test's
/// own), and the test RPs registered.
/// </summary>
public sealed class StoredStateCluster : IAsyncDisposable
{
    private readonly TimeProvider _time;

    private StoredStateCluster(InProcessTestCluster cluster, FlakyGrainStorage storage, TimeProvider time) =>
        (Cluster, Storage, _time) = (cluster, storage, time);

    public InProcessTestCluster Cluster { get; }

    public FlakyGrainStorage Storage { get; }

    /// <summary>The clock the test moves (when the cluster was not started on the system clock).</summary>
    public ManualClock Clock => (ManualClock)_time;

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The silo's services (its clock, its capture challenges).</summary>
    public IServiceProvider Silo => Cluster.GetSiloServiceProvider();

    public static async Task<StoredStateCluster> StartAsync(Action<NationalIdOptions>? options = null, IAccessHistory? history = null, bool systemClock = false)
    {
        var storage = new FlakyGrainStorage();
        TimeProvider clock = systemClock ? TimeProvider.System : new ManualClock(DateTimeOffset.UtcNow);
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddGrainStorage(StorageNames.Default, (_, _) => storage);
            silo.Services.AddGrainStorage(StorageNames.Citizens, (_, _) => storage);
            silo.Services.AddSingleton(clock);
            silo.Services.AddSingleton(history ?? new InMemoryAccessHistory());
            silo.AddMemoryStreams(EventStreams.Provider, b => b.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
            silo.AddNationalIdPlacement(region: null);
            silo.Services.AddSingleton<IRelyingPartyFeed>(new InMemoryRelyingPartyFeed());
            silo.Services.AddSingleton<RelyingPartyDirectory>();
            silo.Services.AddMetrics();
            silo.Services.AddSingleton<NationalIdMetrics>();
            silo.Services.AddTestCaptures();
            silo.Services.Configure<NationalIdOptions>(o => o.HandleSecret = Convert.ToBase64String(TestIdentities.NewSecret()));
            if (options is not null)
            {
                silo.Services.Configure(options);
            }
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        await TestRelyingParties.RegisterAsync(cluster.Client);
        return new StoredStateCluster(cluster, storage, clock);
    }

    /// <summary>Every activation collected: the next call reads the grain's state from storage again.</summary>
    public Task DeactivateAllAsync() => Cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
