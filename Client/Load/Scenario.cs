using System.Text.Json;
using System.Text.Json.Serialization;

namespace NationalId.Client.Load;

/// <summary>
/// A load scenario read from a JSON file (Client/Scenarios/*.json): how many citizens, how fast, and what share of the
/// verifications each kind of relying party makes. Validated on load with messages that name the field.
/// </summary>
public sealed record Scenario(
    string Name,
    int Citizens,
    int Requests,
    double Rate,
    int Concurrency,
    IReadOnlyDictionary<string, double> ScopeMix,
    double CrossProvinceShare,
    double HotCitizenShare,
    double HotTrafficShare,
    double LostPhonesPerThousand = 0,
    double NewActivationsPerThousand = 0,
    double RebindingsPerThousand = 0)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The scopes the load tester can drive today (no face needed at the gate of a load test).</summary>
    public static readonly IReadOnlySet<string> DrivableScopes = new HashSet<string>(StringComparer.Ordinal) { "rail.gate", "age.over18", "age.over60" };

    public static Scenario Parse(string json)
    {
        Scenario? scenario;
        try
        {
            scenario = JsonSerializer.Deserialize<Scenario>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The scenario is not valid JSON for a scenario: {ex.Message}", ex);
        }

        return (scenario ?? throw new FormatException("The scenario file is empty.")).Validated();
    }

    public static Scenario Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Picks a scope by the mix from a uniform draw in [0, 1).</summary>
    public string PickScope(double u)
    {
        var total = ScopeMix.Values.Sum();
        var running = 0.0;
        foreach (var (scope, weight) in ScopeMix.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            running += weight / total;
            if (u < running)
            {
                return scope;
            }
        }

        return ScopeMix.Keys.Max(StringComparer.Ordinal)!;
    }

    /// <summary>Picks a citizen index: a small hot set takes a large share of traffic, the rest are rarely seen.</summary>
    public int PickCitizen(Random random)
    {
        var hot = Math.Max(1, (int)(Citizens * HotCitizenShare));
        return random.NextDouble() < HotTrafficShare ? random.Next(hot) : random.Next(Citizens);
    }

    private Scenario Validated()
    {
        static void Require(bool ok, string message)
        {
            if (!ok)
            {
                throw new FormatException(message);
            }
        }

        Require(!string.IsNullOrWhiteSpace(Name), "'name' is required.");
        Require(Citizens > 0, "'citizens' must be positive.");
        Require(Requests > 0, "'requests' must be positive.");
        Require(Rate >= 0, "'rate' is requests per second, 0 for closed loop.");
        Require(Concurrency > 0, "'concurrency' must be positive.");
        Require(ScopeMix is { Count: > 0 }, "'scopeMix' needs at least one scope.");
        foreach (var (scope, weight) in ScopeMix!)
        {
            Require(DrivableScopes.Contains(scope), $"'scopeMix' names '{scope}', which the load tester cannot drive; use one of {string.Join(", ", DrivableScopes)}.");
            Require(weight > 0 && double.IsFinite(weight), $"'scopeMix.{scope}' must be a positive weight.");
        }

        Require(LostPhonesPerThousand is >= 0 and <= 100, "'lostPhonesPerThousand' is between 0 and 100 per thousand verifications.");
        Require(NewActivationsPerThousand is >= 0 and <= 100, "'newActivationsPerThousand' is between 0 and 100 per thousand verifications.");
        Require(RebindingsPerThousand is >= 0 and <= 100, "'rebindingsPerThousand' is between 0 and 100 per thousand verifications.");
        foreach (var (name, share) in new[] { ("crossProvinceShare", CrossProvinceShare), ("hotCitizenShare", HotCitizenShare), ("hotTrafficShare", HotTrafficShare) })
        {
            Require(share is >= 0 and <= 1, $"'{name}' is a share between 0 and 1.");
        }

        return this;
    }
}
