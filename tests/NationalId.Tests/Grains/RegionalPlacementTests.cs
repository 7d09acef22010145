using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using NationalId.Citizens;
using NationalId.Events;
using NationalId.History;
using NationalId.Placement;
using NationalId.RelyingParties;
using NationalId.Telemetry;
using NationalId.Tests.Support;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Streams;
using Orleans.TestingHost;

namespace NationalId.Tests.Grains;

/// <summary>
/// Three silos of three regions: citizens and RPs activate on their home region's silo whichever silo asked for the
/// activation; with a region's only silo gone its citizens are still served elsewhere and the fallback is counted.
/// </summary>
public sealed class RegionalPlacementTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> RegionOfSilo = new() { ["Silo_0"] = "North", ["Silo_1"] = "East", ["Silo_2"] = "South" };
    private static readonly byte[] Secret = TestIdentities.NewSecret();
    private static readonly CitizenHandles Handles = new(Secret);
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 3);
        builder.ConfigureSilo((options, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.Default);
            silo.AddMemoryGrainStorage(StorageNames.Citizens);
            silo.AddMemoryStreams(EventStreams.Provider, b => b.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
            silo.AddNationalIdPlacement(RegionOfSilo[options.SiloName]);
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton<IAccessHistory, InMemoryAccessHistory>();
            silo.Services.AddSingleton<IRelyingPartyFeed, InMemoryRelyingPartyFeed>();
            silo.Services.AddSingleton<RelyingPartyDirectory>();
            silo.Services.AddMetrics();
            silo.Services.AddSingleton<NationalIdMetrics>();
            silo.Services.AddTestCaptures();
            silo.Services.Configure<NationalIdOptions>(o => o.HandleSecret = Convert.ToBase64String(Secret));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        await WaitForMetadata(_cluster.Silos.Count);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Theory]
    [InlineData("110101", "North")]
    [InlineData("310101", "East")]
    [InlineData("330102", "East")]
    [InlineData("440106", "South")]
    [InlineData("460105", "South")]
    public async Task A_citizen_activates_on_a_silo_of_its_home_region_whichever_silo_asks(string regionCode, string region)
    {
        foreach (var asking in _cluster.Silos)
        {
            var handle = await EnrolledAsync(asking.ServiceProvider.GetRequiredService<IGrainFactory>(), regionCode);
            var grains = asking.ServiceProvider.GetRequiredService<IGrainFactory>();

            Assert.Equal(region, await RegionOfActivation(grains.GetGrain<ICitizenGrain>(handle)));
        }
    }

    [Fact]
    public async Task A_relying_party_activates_in_the_region_of_its_province()
    {
        foreach (var asking in _cluster.Silos)
        {
            var rpId = ApiKeys.NewRelyingPartyId("44");
            var grains = asking.ServiceProvider.GetRequiredService<IGrainFactory>();
            await grains.GetGrain<IRelyingPartyGrain>(rpId).GetPolicy();
            Assert.Equal("South", await RegionOfActivation(grains.GetGrain<IRelyingPartyGrain>(rpId)));
        }
    }

    [Fact]
    public async Task With_its_region_down_a_citizen_is_served_elsewhere_and_the_fallback_is_counted()
    {
        long fallbacks = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == NationalIdMetrics.MeterName && instrument.Name == "nid.placement.fallbacks")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "region" && (string?)tag.Value == "South")
                {
                    Interlocked.Add(ref fallbacks, value);
                }
            }
        });
        listener.Start();

        var south = _cluster.Silos.Single(s => s.Name == "Silo_2");
        await _cluster.StopSiloAsync(south);
        await WaitForMetadata(2);

        var grains = _cluster.Silos[0].ServiceProvider.GetRequiredService<IGrainFactory>();
        var handle = await EnrolledAsync(grains, "440106"); // answered: the grain lives, outside its region
        Assert.Contains(await RegionOfActivation(grains.GetGrain<ICitizenGrain>(handle)), new[] { "North", "East" });
        Assert.Equal(1, Interlocked.Read(ref fallbacks));
    }

    /// <summary>An enrolled citizen (a number nobody enrolled keeps no activation after its call).</summary>
    private static async Task<string> EnrolledAsync(IGrainFactory grains, string regionCode)
    {
        var id = TestIdentities.Next(regionCode);
        var handle = Handles.For(id);
        Assert.True((await grains.GetGrain<ICitizenGrain>(handle).Enroll(
            new CitizenEnrollment(id.Value, "Placed Citizen", new FaceSample(NationalId.Client.Faces.FaceVectors.Person(1), 0.99), null))).Succeeded);
        return handle;
    }

    private async Task<string> RegionOfActivation(IAddressable grain)
    {
        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var silo = await management.GetActivationAddress(grain);
        Assert.NotNull(silo);
        return RegionOfSilo[_cluster.Silos.Single(s => s.SiloAddress.Equals(silo)).Name];
    }

    /// <summary>Each silo learns the others' metadata from membership updates; placement reads it from that cache.</summary>
    private async Task WaitForMetadata(int silos)
    {
        // The cache has no change event of its own: poll it, bounded.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var silo in _cluster.Silos)
        {
            var cache = silo.ServiceProvider.GetRequiredService<ISiloMetadataCache>();
            while (_cluster.Silos.Count(s => cache.GetSiloMetadata(s.SiloAddress).Metadata.ContainsKey(RegionMap.MetadataKey)) < silos)
            {
                await Task.Delay(20, timeout.Token);
            }
        }
    }
}
