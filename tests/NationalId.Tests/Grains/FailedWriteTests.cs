using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using NationalId.Citizens;
using NationalId.Client.Faces;
using NationalId.Events;
using NationalId.History;
using NationalId.Placement;
using NationalId.Protocol;
using NationalId.RelyingParties;
using NationalId.Telemetry;
using NationalId.Tests.Support;
using Orleans.Runtime.Hosting;
using Orleans.Streams;
using Orleans.TestingHost;

namespace NationalId.Tests.Grains;

/// <summary>
/// A storage write that fails must not leave the grain answering from memory that storage never received: an
/// acknowledged revocation is stored, and a retried one is stored too.
/// </summary>
public sealed class FailedWriteTests : IAsyncLifetime
{
    private readonly FlakyGrainStorage _storage = new();

    private InMemoryRelyingPartyFeed Feed { get; } = new();
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddGrainStorage(StorageNames.Default, (_, _) => _storage);
            silo.Services.AddGrainStorage(StorageNames.Citizens, (_, _) => _storage);
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton<IAccessHistory>(new InMemoryAccessHistory());
            silo.AddMemoryStreams(EventStreams.Provider, b => b.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
            silo.AddNationalIdPlacement(region: null);
            silo.Services.AddSingleton<IRelyingPartyFeed>(Feed);
            silo.Services.AddSingleton<RelyingPartyDirectory>();
            silo.Services.AddMetrics();
            silo.Services.AddSingleton<NationalIdMetrics>();
            silo.Services.AddTestCaptures();
            silo.Services.Configure<NationalIdOptions>(o => o.HandleSecret = Convert.ToBase64String(TestIdentities.NewSecret()));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static CredentialChange Revoke(byte[] credentialId, float[] face) =>
        new(credentialId, CredentialAction.Revoke, ActionChannel.Counter, "stolen", null, new FaceSample(FaceVectors.Capture(face, 77), 0.99));

    [Fact]
    public async Task A_revocation_whose_write_failed_is_written_when_retried()
    {
        var id = TestIdentities.Next();
        var handle = new CitizenHandles(TestIdentities.NewSecret()).For(id);
        var grain = _cluster.Client.GetGrain<ICitizenGrain>(handle);
        var face = FaceVectors.Person(11);
        await grain.Enroll(new CitizenEnrollment(id.Value, "Zhao Lei", new FaceSample(face, 0.99), null));
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var bound = await grain.Activate(TestCaptures.Attested(_cluster.GetSiloServiceProvider(), PresentationCodec.EncodePoint(device.ExportParameters(false).Q), new FaceSample(FaceVectors.Capture(face, 1), 0.99)));

        _storage.FailNextWrites(1);
        await Assert.ThrowsAnyAsync<Exception>(() => grain.ChangeCredential(Revoke(bound.CredentialId!, face)));
        var grainId = GrainId.Create("citizen", handle);
        Assert.Equal(CredentialStatus.Active, _storage.Stored<CitizenState>("citizen", grainId)!.Credentials.Single().Status);

        Assert.True((await grain.ChangeCredential(Revoke(bound.CredentialId!, face))).Succeeded);
        Assert.Equal(CredentialStatus.Revoked, _storage.Stored<CitizenState>("citizen", grainId)!.Credentials.Single().Status);
    }

    [Fact]
    public async Task An_activation_whose_answer_was_lost_returns_the_same_credential_when_retried()
    {
        var id = TestIdentities.Next();
        var grain = _cluster.Client.GetGrain<ICitizenGrain>(new CitizenHandles(TestIdentities.NewSecret()).For(id));
        var face = FaceVectors.Person(12);
        await grain.Enroll(new CitizenEnrollment(id.Value, "Sun Li", new FaceSample(face, 0.99), null));
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var key = PresentationCodec.EncodePoint(device.ExportParameters(false).Q);

        var first = await grain.Activate(TestCaptures.Attested(_cluster.GetSiloServiceProvider(), key, new FaceSample(FaceVectors.Capture(face, 1), 0.99)));
        var retry = await grain.Activate(TestCaptures.Attested(_cluster.GetSiloServiceProvider(), key, new FaceSample(FaceVectors.Capture(face, 2), 0.99)));
        Assert.Equal(first.CredentialId, retry.CredentialId);
        Assert.Single((await grain.GetSummary()).Credentials);

        await grain.ChangeCredential(Revoke(first.CredentialId!, face));
        Assert.Equal("public_key_revoked", (await grain.Activate(TestCaptures.Attested(_cluster.GetSiloServiceProvider(), key, new FaceSample(FaceVectors.Capture(face, 3), 0.99)))).Error);
    }
}
