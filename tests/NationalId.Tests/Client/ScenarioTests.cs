using NationalId.Client.Load;

namespace NationalId.Tests.Client;

public class ScenarioTests
{
    private static string ScenarioFile(string name) => Path.Combine(AppContext.BaseDirectory, "Scenarios", name);

    [Theory]
    [InlineData("spring-festival.json")]
    [InlineData("smoke.json")]
    public void The_shipped_scenarios_parse(string file)
    {
        var scenario = Scenario.Load(ScenarioFile(file));
        Assert.False(string.IsNullOrEmpty(scenario.Name));
        Assert.NotEmpty(scenario.ScopeMix);
    }

    [Theory]
    [InlineData("""{"name":"x","citizens":0,"requests":1,"rate":0,"concurrency":1,"scopeMix":{"rail.gate":1},"crossProvinceShare":0,"hotCitizenShare":0,"hotTrafficShare":0}""", "'citizens'")]
    [InlineData("""{"name":"x","citizens":1,"requests":1,"rate":0,"concurrency":1,"scopeMix":{"bank.account":1},"crossProvinceShare":0,"hotCitizenShare":0,"hotTrafficShare":0}""", "bank.account")]
    [InlineData("""{"name":"x","citizens":1,"requests":1,"rate":0,"concurrency":1,"scopeMix":{"rail.gate":1},"crossProvinceShare":1.5,"hotCitizenShare":0,"hotTrafficShare":0}""", "'crossProvinceShare'")]
    [InlineData("""{"name":"x","citizens":1,"requests":1,"rate":0,"concurrency":1,"scopeMix":{},"crossProvinceShare":0,"hotCitizenShare":0,"hotTrafficShare":0}""", "'scopeMix'")]
    [InlineData("""{"name":"x","citizens":1,"requests":1,"rate":0,"concurrency":1,"scopeMix":{"rail.gate":1},"crossProvinceShare":0,"hotCitizenShare":0,"hotTrafficShare":0,"surprise":1}""", "surprise")]
    [InlineData("""{"name":""", "not valid JSON")]
    [InlineData("""{"name":"x","citizens":1,"requests":1,"rate":0,"concurrency":1,"scopeMix":{"rail.gate":1},"crossProvinceShare":0,"hotCitizenShare":0,"hotTrafficShare":0,"lostPhonesPerThousand":-1}""", "'lostPhonesPerThousand'")]
    [InlineData("""{"name":"x","citizens":1,"requests":1,"rate":0,"concurrency":1,"scopeMix":{"rail.gate":1},"crossProvinceShare":0,"hotCitizenShare":0,"hotTrafficShare":0,"rebindingsPerThousand":101}""", "'rebindingsPerThousand'")]
    public void A_bad_scenario_is_refused_with_a_message_naming_the_problem(string json, string named)
    {
        var error = Assert.Throws<FormatException>(() => Scenario.Parse(json));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scopes_are_picked_by_their_weights()
    {
        var scenario = Scenario.Load(ScenarioFile("spring-festival.json"));
        var random = new Random(1);
        var picks = Enumerable.Range(0, 20_000).Select(_ => scenario.PickScope(random.NextDouble())).ToList();
        Assert.InRange(picks.Count(p => p == "rail.gate") / 20_000.0, 0.73, 0.77);
        Assert.InRange(picks.Count(p => p == "age.over60") / 20_000.0, 0.04, 0.06);
    }

    [Fact]
    public void Hot_citizens_take_their_share_of_traffic()
    {
        var scenario = Scenario.Load(ScenarioFile("spring-festival.json"));
        var random = new Random(2);
        var hot = (int)(scenario.Citizens * scenario.HotCitizenShare);
        var picks = Enumerable.Range(0, 20_000).Select(_ => scenario.PickCitizen(random)).ToList();
        var hotShare = picks.Count(i => i < hot) / 20_000.0;

        // Hot traffic plus the uniform draws that land in the hot set by chance.
        var expected = scenario.HotTrafficShare + ((1 - scenario.HotTrafficShare) * scenario.HotCitizenShare);
        Assert.InRange(hotShare, expected - 0.02, expected + 0.02);
        Assert.All(picks, i => Assert.InRange(i, 0, scenario.Citizens - 1));
    }
}
