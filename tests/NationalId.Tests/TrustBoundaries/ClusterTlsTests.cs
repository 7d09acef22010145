using System.Security.Cryptography;
using NationalId.Client.Direct;
using NationalId.Security;
using NationalId.Tests.EndToEnd;
using NationalId.Tests.Support;
using NationalId.Verification;

namespace NationalId.Tests.TrustBoundaries;

/// <summary>
/// The Orleans ports take only members: a real silo process with mutual TLS serves an Orleans client holding a
/// certificate of the cluster's CA, and refuses one without TLS and one with another CA's certificate.
/// </summary>
[Collection(RealProcessCollection.Name)]
[Trait("Category", "Failure")]
public sealed class ClusterTlsTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private SiloProcess _silo = null!;
    private string _clusterId = string.Empty;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _clusterId = $"tls-{Guid.NewGuid():N}";
        using var presentationKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _silo = await SiloProcess.StartAsync(new Uri($"http://127.0.0.1:{FreePort.Next()}"),
            [$"--ConnectionStrings:NationalId={_database.ConnectionString}", .. SiloArguments.Make(_clusterId, "k", presentationKey)]);
    }

    public async Task DisposeAsync()
    {
        _silo.Dispose();
        await _database.DisposeAsync();
    }

    private async Task<bool> CanCallAsync(ClusterTlsSettings? tls)
    {
        try
        {
            await using var connection = await ClusterConnection.ConnectAsync(_database.ConnectionString, _clusterId, "national-id", tls)
                .WaitAsync(TimeSpan.FromSeconds(30));
            var answer = await connection.Client.GetGrain<IVerifierGrain>(0).Verify("not-a-key", new VerifyInput("rail.gate", "NID1.x", null, null, null))
                .WaitAsync(TimeSpan.FromSeconds(30));
            return answer.ErrorCode == "invalid_api_key"; // the grain answered: the call got through
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_client_with_the_clusters_certificate_is_served_and_others_are_refused()
    {
        Assert.True(await CanCallAsync(TestClusterCertificates.Member));
        Assert.False(await CanCallAsync(TestClusterCertificates.Outsider));
        Assert.False(await CanCallAsync(null)); // no TLS at all
        Assert.False(_silo.HasExited);
    }
}
