using System.Text.RegularExpressions;

namespace NationalId.Tests.Codebase;

/// <summary>
/// Grains.Interfaces holds two kinds of contract (Grains.Interfaces/README.md): the grain contracts, and the wire
/// contracts a phone, a terminal or another implementation shares without Orleans (Api, Protocol, IdNumbers, Errors).
/// The wire folders stay free of Orleans and of the grain contracts, so they can become a library of their own (an
/// RP or wallet SDK) by moving files, not by untangling them.
/// </summary>
public partial class ContractLayoutTests
{
    private static readonly string[] WireFolders = ["Api", "Protocol", "IdNumbers", "Errors"];

    [GeneratedRegex(@"\bOrleans\b|\[(Id|Alias|GenerateSerializer|Immutable)\b|using NationalId\.(Citizens|Verification|RelyingParties|History|Events|Capture|Security)\b")]
    private static partial Regex GrainSide();

    [Fact]
    public void The_wire_contracts_use_neither_Orleans_nor_the_grain_contracts()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "Orleans.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("Orleans.sln not found above the test binaries.");
        }

        var files = WireFolders.SelectMany(f => Directory.GetFiles(Path.Combine(root.FullName, "Grains.Interfaces", f), "*.cs")).ToList();
        Assert.True(files.Count > 50, $"only {files.Count} wire contract files found");
        var offending = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => !x.line.TrimStart().StartsWith("//", StringComparison.Ordinal) && GrainSide().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(root.FullName, x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(offending.Count == 0, string.Join('\n', offending));
    }
}
