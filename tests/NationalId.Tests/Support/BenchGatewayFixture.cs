using Microsoft.AspNetCore.Builder;
using NationalId.Bench;
using NationalId.Tests.EndToEnd;

namespace NationalId.Tests.Support;

/// <summary>
/// The gateway as the benchmark host runs it (bench/Baseline): the production silo plus the benchmark probes that no
/// production silo serves, which the load tools call (a scenario deactivates idle grains before its measured phase).
/// </summary>
public sealed class BenchGatewayFixture : GatewayFixture
{
    protected override void MapExtra(WebApplication app) => app.MapBenchDiagnostics();
}
