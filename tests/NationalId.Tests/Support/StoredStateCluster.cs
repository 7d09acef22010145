using Microsoft.Extensions.DependencyInjection;
using NationalId.Events;
using NationalId.History;
using NationalId.Placement;
using NationalId.RelyingParties;
using NationalId.Telemetry;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Streams;
using Orleans.TestingHost;

namespace NationalId.Tests.Support;

/// <summary>
/// An in-process cluster whose grain storage keeps serialized rows a test can read and tamper with
/// (<see cref="FlakyGrainStorage"/>), a clock the test moves, an in-memory history, and the test RPs registered.
/// </summary>
public sealed class StoredStateCluster : IAsyncDisposable
{
    private StoredStateCluster(InProcessTestCluster cluster, FlakyGrainStorage storage, ManualClock clock) =>
        (Cluster, Storage, Clock) = (cluster, storage, clock);

    public InProcessTestCluster Cluster { get; }

    public FlakyGrainStorage Storage { get; }

    public ManualClock Clock { get; }

    public IGrainFactory Grains => Cluster.Client;

    public static async Task<StoredStateCluster> StartAsync(Action<NationalIdOptions>? options = null)
    {
        var storage = new FlakyGrainStorage();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddGrainStorage(StorageNames.Default, (_, _) => storage);
            silo.Services.AddSingleton<TimeProvider>(clock);
            silo.Services.AddSingleton<IAccessHistory>(new InMemoryAccessHistory());
            silo.AddMemoryStreams(EventStreams.Provider, b => b.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
            silo.AddNationalIdPlacement(region: null);
            silo.Services.AddSingleton<IRelyingPartyFeed>(new InMemoryRelyingPartyFeed());
            silo.Services.AddSingleton<RelyingPartyDirectory>();
            silo.Services.AddMetrics();
            silo.Services.AddSingleton<NationalIdMetrics>();
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
