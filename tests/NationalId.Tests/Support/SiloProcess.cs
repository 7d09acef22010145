using System.Diagnostics;

namespace NationalId.Tests.Support;

/// <summary>
/// The silo as a real operating-system process (the same binary ./run.sh starts), so tests can kill -9 it: nothing
/// in the test process survives with it.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private bool _disposed;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private SiloProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far, one entry per line.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public static async Task<SiloProcess> StartAsync(Uri baseAddress, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = SiloDirectory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(SiloDirectory(), "NationalId.Silo.dll"));
        foreach (var arg in args.Append($"--Urls={baseAddress.ToString().TrimEnd('/')}"))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        var silo = new SiloProcess(process, baseAddress);
        process.OutputDataReceived += (_, e) => silo.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await silo.WaitReadyAsync();
        return silo;
    }

    private void Keep(string? line)
    {
        if (line is not null && _output.Count < 2_000_000)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>kill -9: no shutdown hooks, no draining, no goodbye to the cluster.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        KillHard();
        _process.Dispose();
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (await tick.WaitForNextTickAsync(deadline.Token))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The silo process exited with code {_process.ExitCode} before it was ready.");
            }

            try
            {
                if ((await http.GetAsync("/health/ready", deadline.Token)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
        }
    }

    /// <summary>The Silo project's build output for the configuration these tests were built with.</summary>
    private static string SiloDirectory()
    {
        var here = AppContext.BaseDirectory;
        var configuration = here.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        return RepositoryRoot() is { } root ? Path.Combine(root, "Silo", "bin", configuration, "net10.0") : here;
    }

    /// <summary>The folder holding Orleans.sln, found upwards from the test binaries.</summary>
    public static string? RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName;
    }
}
