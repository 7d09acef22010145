using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NationalId.Security;
using Orleans.Configuration;

namespace NationalId.Client.Direct;

/// <summary>
/// An Orleans client of the NationalId cluster, found through the same PostgreSQL membership table the silos use:
/// what a gateway in another process, or the load tester's direct mode, talks to.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host)
    {
        _host = host;
    }

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>
    /// Connects with the cluster certificate <paramref name="tls"/> (<see cref="ClusterTlsSettings.FromEnvironment"/>
    /// reads what dev-secrets.sh writes); without one the gateways refuse the connection.
    /// </summary>
    public static async Task<ClusterConnection> ConnectAsync(string connectionString, string clusterId, string serviceId, ClusterTlsSettings? tls)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            });
            client.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
            if (tls is not null)
            {
                var (member, ca) = ClusterCertificates.Load(tls);
                client.UseTls(member, o =>
                {
                    o.RemoteCertificateMode = Orleans.Connections.Security.RemoteCertificateMode.RequireCertificate;
                    o.RemoteCertificateValidation = (certificate, _, _) => ClusterCertificates.IsMember(certificate, ca);
                });
            }
        });
        var host = builder.Build();
        await host.StartAsync();
        return new ClusterConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
