namespace NationalId.Tests.EndToEnd;

/// <summary>
/// Tests that run several silo processes or restart PostgreSQL under load: run alone, after the others, so the two
/// cores are theirs (a starved silo misses its failure-detection probes and measurements mean nothing).
/// Tagged <c>Category=Failure</c>: a quick local run may skip them with <c>./test.sh --filter Category!=Failure</c>.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealProcessCollection
{
    public const string Name = "real processes";
}
