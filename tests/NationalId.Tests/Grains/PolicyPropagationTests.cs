using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NationalId.Events;
using NationalId.History;
using NationalId.Placement;
using NationalId.RelyingParties;
using NationalId.Telemetry;
using NationalId.Tests.Support;
using Orleans.Streams;
using Orleans.TestingHost;
using Xunit.Abstractions;

namespace NationalId.Tests.Grains;

/// <summary>A suspended RP is refused on every silo without waiting for cache TTLs: the change travels on the stream.</summary>
public sealed class PolicyPropagationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Default);
            silo.AddMemoryGrainStorage(StorageNames.Citizens);
            silo.AddMemoryStreams(EventStreams.Provider, b => b.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
            silo.AddNationalIdPlacement(region: null);
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton<IAccessHistory, InMemoryAccessHistory>();
            silo.Services.AddSingleton<IRelyingPartyFeed, InMemoryRelyingPartyFeed>();
            silo.Services.AddSingleton<RelyingPartyDirectory>();
            silo.Services.AddMetrics();
            silo.Services.AddSingleton<NationalIdMetrics>();
            silo.Services.AddTestCaptures();
            silo.Services.Configure<NationalIdOptions>(o => o.HandleSecret = Convert.ToBase64String(TestIdentities.NewSecret()));

            // A TTL far longer than the test: only the pushed invalidation can make the change visible.
            silo.Services.Configure<NationalIdOptions>(o => o.RelyingPartyPolicyTtl = TimeSpan.FromHours(1));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Suspending_an_rp_reaches_the_policy_cache_of_every_silo()
    {
        var rpId = ApiKeys.NewRelyingPartyId("44");
        var rp = _cluster.Client.GetGrain<IRelyingPartyGrain>(rpId);
        await rp.Register(new RelyingPartyRegistration("National Railway", Sector.Rail, "11", ["rail.gate"], ApiKeys.NewKey(rpId).Hash));

        var directories = _cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<RelyingPartyDirectory>()).ToList();
        var invalidated = new List<Task>();
        foreach (var directory in directories)
        {
            Assert.Equal(RelyingPartyStatus.Active, (await directory.GetAsync(rpId))!.Status);
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            directory.Invalidated += id =>
            {
                if (id == rpId)
                {
                    seen.TrySetResult();
                }
            };
            invalidated.Add(seen.Task);
        }

        var clock = Stopwatch.StartNew();
        Assert.True((await rp.SetStatus(RelyingPartyStatus.Suspended, "audit")).Succeeded);
        await Task.WhenAll(invalidated).WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"suspension reached {directories.Count} silos in {clock.ElapsedMilliseconds} ms");

        foreach (var directory in directories)
        {
            Assert.Equal(RelyingPartyStatus.Suspended, (await directory.GetAsync(rpId))!.Status);
        }
    }
}
