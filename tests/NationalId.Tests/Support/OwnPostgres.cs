using System.Diagnostics;
using Npgsql;

namespace NationalId.Tests.Support;

/// <summary>
/// A PostgreSQL server of a test's own (deploy/local/postgres.sh in a temporary folder, on a free port), for tests
/// that stop and start the server: the shared test server must never go away under other tests.
/// </summary>
public sealed class OwnPostgres : IAsyncDisposable
{
    private readonly string _script;
    private readonly string _folder;

    private OwnPostgres(string script, string folder, int port)
    {
        _script = script;
        _folder = folder;
        Port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=nationalid;Maximum Pool Size=50;Timeout=5";
    }

    public int Port { get; }

    public string ConnectionString { get; }

    private string Data => Path.Combine(_folder, "data");

    public static async Task<OwnPostgres> StartAsync()
    {
        var root = SiloProcess.RepositoryRoot() ?? throw new InvalidOperationException("Orleans.sln not found above the test binaries.");
        var folder = Directory.CreateTempSubdirectory("nid-own-pg-").FullName;
        // postgres.sh runs the server as the "postgres" user when we are root: it must be able to enter the folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var server = new OwnPostgres(Path.Combine(root, "deploy", "local", "postgres.sh"), folder, FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on the same port and data.</summary>
    public Task StartAgainAsync() => Run("start", Data, Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Fast shutdown: open connections are cut, as when the database host restarts.</summary>
    public Task StopAsync() => Run("stop", Data);

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task Run(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["NID_PG_PASSWORD"] = string.Empty; // a throwaway server: trust on loopback, as test.sh's
        info.ArgumentList.Add(_script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"postgres.sh {args[0]} failed ({process.ExitCode}): {await stderr}");
        }
    }
}
