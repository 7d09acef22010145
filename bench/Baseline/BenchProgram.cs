using NationalId.Silo.Database;
using NationalId.Silo.Hosting;

namespace NationalId.Bench;

/// <summary>
/// The production silo, built exactly as NationalId.Silo builds it, plus the central-table baseline's tables
/// (bench/sql) and routes (/baseline/v1/*) and the benchmark probes (<see cref="BenchDiagnostics"/>). Same
/// configuration as the silo; every ./bench.sh mode starts it.
/// </summary>
public static class BenchProgram
{
    public static async Task Main(string[] args)
    {
        var app = await NationalIdSilo.BuildAsync(args);
        var connectionString = app.Configuration.GetConnectionString(NationalIdSilo.ConnectionStringName)!;
        await SchemaMigrator.ApplyAsync(connectionString, Path.Combine(AppContext.BaseDirectory, "bench-sql"), app.Logger);
        app.MapCentralTableApi();
        app.MapBenchDiagnostics();
        await app.RunAsync();
    }
}
