using System.Security.Cryptography;
using NationalId.Client.Import;
using NationalId.Client.Load;
using NationalId.Tests.Support;
using Xunit.Abstractions;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// An import stopped halfway twice over, first the tool (its run cancelled mid-flight), then the service (kill -9 of
/// the silo with batches in flight), and resumed each time from its checkpoint: every line ends up enrolled exactly
/// once, with exactly one "enrolled" history line, and nothing is reported twice.
/// </summary>
[Collection(RealProcessCollection.Name)]
[Trait("Category", "Failure")]
public sealed class ImportCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Lines = 20_000;

    private PostgresDatabase _database = null!;
    private string[] _args = [];
    private Uri _address = null!;
    private string _operatorKey = string.Empty;
    private string _folder = string.Empty;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _operatorKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var presentationKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        _args = [$"--ConnectionStrings:NationalId={_database.ConnectionString}", .. SiloArguments.Make($"import-crash-{Guid.NewGuid():N}", _operatorKey, presentationKey)];
        _folder = Directory.CreateTempSubdirectory("nid-import-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task An_import_killed_halfway_on_either_side_and_resumed_enrolls_every_line_exactly_once()
    {
        var silo = await SiloProcess.StartAsync(_address, _args);
        try
        {
            using var http = new HttpClient { BaseAddress = _address, Timeout = TimeSpan.FromSeconds(30) };
            var source = RegisterSource.Synthetic(new PopulationPlan(77), Lines);
            var checkpoint = Path.Combine(_folder, "register.progress");
            ImportOptions Options(Action<long> heard) => new(BatchSize: 500, Parallel: 2, Checkpoint: checkpoint, RejectedReport: Path.Combine(_folder, "register.rejected.csv"), TotalLines: Lines, Checkpointed: heard);

            // 1. The tool stops (its run cancelled) once a quarter is checkpointed, with batches still in flight.
            using var stopTool = new CancellationTokenSource();
            var first = RegisterImport.RunAsync(http, _operatorKey, source, Options(c => { if (c >= Lines / 4) { stopTool.Cancel(); } }), TextWriter.Null, stopTool.Token);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
            var afterFirst = long.Parse(await File.ReadAllTextAsync(checkpoint), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(afterFirst, Lines / 4, Lines - 1);

            // 2. Resumed; the silo is killed -9 once three quarters are checkpointed and started again: the run waits for it.
            var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var second = RegisterImport.RunAsync(http, _operatorKey, source, Options(c => { if (c >= Lines * 3 / 4) { killed.TrySetResult(); } }), TextWriter.Null);
            await killed.Task.WaitAsync(TimeSpan.FromMinutes(3));
            silo.KillHard();
            silo.Dispose();
            silo = await SiloProcess.StartAsync(_address, _args);
            var summary = await second.WaitAsync(TimeSpan.FromMinutes(5));
            output.WriteLine($"first run stopped at line {afterFirst}; second run: {summary}");

            Assert.Equal(afterFirst, summary.Skipped);
            Assert.Equal(Lines - afterFirst, summary.Imported + summary.AlreadyEnrolled);
            Assert.Equal(0, summary.Rejected);
            Assert.Equal(Lines, await _database.CountAsync("SELECT count(*) FROM orleans_grain_state_json WHERE grain_type = 'citizen' AND (payload_json ->> 'Enrolled')::boolean"));
            Assert.Equal(Lines, await _database.CountAsync("SELECT count(*) FROM access_history WHERE kind = 'enrolled'"));
            Assert.Equal(Lines, await _database.CountAsync("SELECT count(DISTINCT citizen_handle) FROM access_history WHERE kind = 'enrolled'"));
            Assert.Equal(Lines.ToString(System.Globalization.CultureInfo.InvariantCulture), await File.ReadAllTextAsync(checkpoint));
        }
        finally
        {
            silo.Dispose();
        }
    }
}
