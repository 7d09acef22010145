using System.Reflection;
using System.Text.RegularExpressions;
using NationalId.Errors;
using NationalId.Silo.Apis;

namespace NationalId.Tests.Codebase;

/// <summary>
/// One catalogue of error codes: every code is a constant of <see cref="ErrorCodes"/>, has its status in the host's
/// <see cref="ErrorCatalogue"/> and a row in docs/reference/api.md with the same status; and no production source spells a
/// code as a literal. Before, 81 codes were string literals in Grains/ and Silo/, mapped by a string switch, with
/// statuses decided in Grains/.
/// </summary>
public partial class ErrorCatalogueTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orleans.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Orleans.sln not found above the test binaries.");
    }

    private static IReadOnlyList<string> Codes() =>
        [.. typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    [GeneratedRegex(@"^\| `([a-z_0-9]+)` \| (\d{3}) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"(?<![\w$@])""([a-z]+(?:_[a-z0-9]+)+)""")]
    private static partial Regex SnakeLiteral();

    [Fact]
    public void Every_code_has_a_status_in_the_catalogue_and_a_row_in_the_api_document_with_that_status()
    {
        var codes = Codes();
        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(codes.Order(StringComparer.Ordinal), ErrorCatalogue.Entries.Keys.Order(StringComparer.Ordinal));

        var documented = TableRow().Matches(File.ReadAllText(Path.Combine(Root, "docs", "reference", "api.md")))
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        Assert.Equal(codes.Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        foreach (var code in codes)
        {
            Assert.True(documented[code] == ErrorCatalogue.Entries[code].Status, $"{code}: {ErrorCatalogue.Entries[code].Status} in the catalogue, {documented[code]} in docs/reference/api.md");
        }
    }

    [Fact]
    public void No_production_source_spells_an_error_code_as_a_literal()
    {
        var codes = Codes().ToHashSet(StringComparer.Ordinal);
        var allowed = new[] { "ErrorCodes.cs", "RejectionReason.cs" };
        var offenders = new List<string>();
        foreach (var project in new[] { "Grains", "Grains.Interfaces", "Silo", "bench" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, project), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !allowed.Contains(Path.GetFileName(f))))
            {
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    foreach (Match m in SnakeLiteral().Matches(lines[i]))
                    {
                        if (codes.Contains(m.Groups[1].Value))
                        {
                            offenders.Add($"{Path.GetRelativePath(Root, file)}:{i + 1}: \"{m.Groups[1].Value}\"");
                        }
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, "use ErrorCodes:\n" + string.Join("\n", offenders));
    }
}
