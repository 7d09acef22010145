using System.Diagnostics;
using Npgsql;

namespace NationalId.Tests.Support;

/// <summary>
/// PostgreSQL with a synchronous standby per shard under pg_auto_failover (deploy/local/ha.sh in a folder of the
/// test's own): the national database and every shard reached through multi-host connection strings, as the service
/// is configured in production, and the primary of a shard killed as a lost server.
/// </summary>
public sealed class HaPostgres : IAsyncDisposable
{
    private readonly string _script;
    private readonly string _folder;

    private HaPostgres(string script, string folder, IReadOnlyDictionary<string, string> settings)
    {
        _script = script;
        _folder = folder;
        Settings = settings;
    }

    /// <summary>The silo's settings from DIR/silo.env (configuration keys with ':').</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public IEnumerable<string> SiloArguments => Settings.Select(kv => $"--{kv.Key}={kv.Value}");

    public string ShardConnectionString(int shard) => Settings[$"Storage:Shards:shard{shard}:ConnectionString"];

    public static async Task<HaPostgres> StartAsync(int shards)
    {
        var root = SiloProcess.RepositoryRoot() ?? throw new InvalidOperationException("Orleans.sln not found above the test binaries.");
        var folder = Directory.CreateTempSubdirectory("nid-ha-").FullName;
        var script = Path.Combine(root, "deploy", "local", "ha.sh");
        await Run(script, "start", folder, shards.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in await File.ReadAllLinesAsync(Path.Combine(folder, "silo.env")))
        {
            // export Key__Sub='value'
            var assignment = line["export ".Length..];
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            settings[assignment[..equals].Replace("__", ":", StringComparison.Ordinal)] = assignment[(equals + 1)..].Trim('\'');
        }

        return new HaPostgres(script, folder, settings);
    }

    /// <summary>kill -9 of shard <paramref name="shard"/>'s primary server; returns once its standby is promoted, with ha.sh's report.</summary>
    public Task<string> KillPrimaryAsync(int shard) => Run(_script, "kill-primary", _folder, shard.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async Task<long> CountAsync(int shard, string sql)
    {
        await using var connection = new NpgsqlConnection(ShardConnectionString(shard));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Run(_script, "stop", _folder);
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<string> Run(string script, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"ha.sh {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout}{await stderr}");
    }
}
