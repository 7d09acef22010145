using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NationalId.Api;
using NationalId.Citizens;
using NationalId.Client;
using NationalId.Client.Audit;
using NationalId.Client.Faces;
using NationalId.Client.Import;
using NationalId.Client.Load;
using NationalId.Errors;
using NationalId.Storage;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// Bulk enrollment from the population register over two shards: each citizen once, in its shard, with its
/// "enrolled" line in an intact audit chain; a second run enrolls nobody; imported citizens work like enrolled ones;
/// every kind of bad line is rejected by its number with the API's code and stores nothing.
/// </summary>
public sealed class ImportTests(ShardedGatewayFixture gateway) : IClassFixture<ShardedGatewayFixture>
{
    private static IEnumerable<SourceLine> Population(int seed, int count) => RegisterSource.Synthetic(new PopulationPlan(seed), count);

    [Fact]
    public async Task An_imported_population_is_enrolled_once_in_its_shards_and_a_second_run_enrolls_nobody()
    {
        using var http = gateway.CreateClient();
        var first = await RegisterImport.RunAsync(http, gateway.OperatorKey, Population(11, 600), new ImportOptions(BatchSize: 150), TextWriter.Null);
        Assert.Equal((600, 0, 0), (first.Imported, first.AlreadyEnrolled, first.Rejected));
        var again = await RegisterImport.RunAsync(http, gateway.OperatorKey, Population(11, 600), new ImportOptions(BatchSize: 250), TextWriter.Null);
        Assert.Equal((0, 600, 0), (again.Imported, again.AlreadyEnrolled, again.Rejected));

        var map = gateway.Services.GetRequiredService<ShardMap>();
        var handles = gateway.Services.GetRequiredService<CitizenHandles>();
        var plan = new PopulationPlan(11);
        var mine = plan.Citizens(600).Select(c => handles.For(c.IdNumber)).ToList();
        foreach (var shard in new[] { "a", "b" })
        {
            var here = mine.Where(h => map.ShardOf(h).Name == shard).Select(h => $"'{h}'").ToList();
            Assert.NotEmpty(here);
            var list = string.Join(',', here);
            var database = gateway.ShardNamed(shard);
            Assert.Equal(here.Count, await database.CountAsync($"SELECT count(*) FROM orleans_grain_state_json WHERE grain_type = 'citizen' AND grain_key_ext IN ({list}) AND (payload_json ->> 'Enrolled')::boolean"));
            Assert.Equal(here.Count, await database.CountAsync($"SELECT count(*) FROM access_history WHERE kind = 'enrolled' AND channel = 'register' AND citizen_handle IN ({list})"));
            Assert.Equal(0, await database.CountAsync($"SELECT count(*) FROM orleans_grain_state_json WHERE payload_json::text LIKE '%Citizen 1%'"));
        }

        Assert.True((await AuditVerifier.VerifyAsync([gateway.ShardA.ConnectionString, gateway.ShardB.ConnectionString])).Intact);

        // An imported citizen is like any other: the enrollment API says enrolled, a phone binds with the face, verifies.
        var someone = plan.Citizen(42);
        var enrollAgain = await http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens",
            new EnrollCitizenRequest(someone.IdNumber.Value, "Someone", FaceVectors.Live(PopulationSeeder.FaceOf(someone)), null));
        Assert.Equal(HttpStatusCode.Conflict, enrollAgain.StatusCode);
        using var story = new Story(gateway);
        using var phone = await story.ActivateAsync(someone.IdNumber, PopulationSeeder.FaceOf(someone));
        var rp = await story.RegisterAsync("hotel", "44", "age.over18");
        Assert.True((await story.VerifyAsync(rp.ApiKey, "age.over18", phone.Present())).Verified);
    }

    [Fact]
    public async Task The_import_hashes_citizen_rows_as_the_orleans_provider_does()
    {
        using var story = new Story(gateway);
        var handles = gateway.Services.GetRequiredService<CitizenHandles>();
        var map = gateway.Services.GetRequiredService<ShardMap>();
        for (var i = 0; i < 8; i++)
        {
            var (id, _) = await story.EnrollAsync(i % 2 == 0 ? "110101" : "440106");
            var handle = handles.For(id);
            var database = gateway.ShardNamed(map.ShardOf(handle).Name);
            Assert.Equal(CitizenStorageKeys.GrainIdHash(handle), await database.CountAsync($"SELECT grain_id_hash FROM orleans_grain_state WHERE grain_key_ext = '{handle}'"));
            Assert.Equal(CitizenStorageKeys.GrainTypeHash, await database.CountAsync($"SELECT grain_type_hash FROM orleans_grain_state WHERE grain_key_ext = '{handle}'"));
        }
    }

    [Fact]
    public async Task Every_kind_of_bad_line_is_rejected_by_its_number_and_only_good_lines_are_enrolled()
    {
        using var http = gateway.CreateClient();
        var plan = new PopulationPlan(12);
        var random = new Random(12);
        var lines = new List<JsonElement>();
        var expected = new Dictionary<long, string>();
        var good = new List<PlannedCitizen>();
        var mutations = Mutations();
        for (var n = 1; n <= 400; n++)
        {
            var citizen = plan.Citizen(n);
            var line = new Dictionary<string, object?>
            {
                ["line"] = n,
                ["idNumber"] = citizen.IdNumber.Value,
                ["name"] = $"Citizen {n}",
                ["sex"] = citizen.IdNumber.Sex,
                ["birthDate"] = citizen.IdNumber.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["face"] = RegisterLine.EncodeFace(PopulationSeeder.FaceOf(citizen)),
                ["residenceProvince"] = citizen.ResidenceProvince,
            };
            if (n % 3 != 0)
            {
                var (code, mutate) = mutations[random.Next(mutations.Count)];
                mutate(line, random);
                expected[n] = code;
            }
            else
            {
                good.Add(citizen);
            }

            lines.Add(JsonSerializer.SerializeToElement(line));
        }

        // The same ID number twice in one batch: the second is the duplicate.
        lines.Add(JsonSerializer.SerializeToElement(new RegisterLine(401, good[0].IdNumber.Value, "Again", good[0].IdNumber.Sex,
            good[0].IdNumber.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), RegisterLine.EncodeFace(FaceVectors.Person(1))), ApiClientJson.Options));
        expected[401] = ErrorCodes.DuplicateLine;
        lines.Add(JsonSerializer.SerializeToElement("not an object"));
        lines.Add(JsonSerializer.SerializeToElement(new { idNumber = good[1].IdNumber.Value }));

        using var response = await http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/import", new CitizenImportRequest(lines));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<CitizenImportResponse>(ApiClientJson.Options))!;
        Assert.Equal(good.Count, answer.Imported);
        Assert.Empty(answer.Unavailable);
        Assert.Equal(expected.OrderBy(e => e.Key), answer.Rejected.Where(r => r.Line > 0).Select(r => KeyValuePair.Create(r.Line, r.Code)).OrderBy(e => e.Key));
        Assert.Equal([ErrorCodes.MalformedLine, ErrorCodes.MalformedLine], answer.Rejected.Where(r => r.Line == 0).Select(r => r.Code));

        // Only the good lines' citizens exist.
        var handles = gateway.Services.GetRequiredService<CitizenHandles>();
        var map = gateway.Services.GetRequiredService<ShardMap>();
        foreach (var n in expected.Keys.Where(k => k <= 400))
        {
            var handle = handles.For(plan.Citizen((int)n).IdNumber);
            Assert.Equal(0, await gateway.ShardNamed(map.ShardOf(handle).Name).CountAsync($"SELECT count(*) FROM orleans_grain_state WHERE grain_key_ext = '{handle}'"));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5001)]
    public async Task A_batch_of_no_lines_or_too_many_is_400(int count)
    {
        using var http = gateway.CreateClient();
        var line = JsonSerializer.SerializeToElement(new { line = 1 });
        using var response = await http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/import", new CitizenImportRequest(Enumerable.Repeat(line, count).ToList()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ErrorCodes.InvalidParameter, await Story.ErrorCodeAsync(response));
    }

    /// <summary>Kinds of bad line, each with the code the import must answer.</summary>
    private static List<(string Code, Action<Dictionary<string, object?>, Random> Mutate)> Mutations() =>
    [
        (ErrorCodes.InvalidIdNumber, (l, r) => l["idNumber"] = FlipCheck((string)l["idNumber"]!)),
        (ErrorCodes.InvalidIdNumber, (l, r) => l["idNumber"] = ((string)l["idNumber"]!)[..(r.Next(0, 18))]),
        (ErrorCodes.InvalidIdNumber, (l, r) => l["idNumber"] = "99" + ((string)l["idNumber"]!)[2..]),
        (ErrorCodes.InvalidIdNumber, (l, r) => l.Remove("idNumber")),
        (ErrorCodes.InvalidName, (l, r) => l["name"] = new string(' ', r.Next(0, 5))),
        (ErrorCodes.InvalidName, (l, r) => l.Remove("name")),
        (ErrorCodes.InvalidText, (l, r) => l["name"] = "Li\0" + r.Next()),
        (ErrorCodes.InvalidText, (l, r) => l["name"] = new string('x', 101 + r.Next(0, 1000))),
        (ErrorCodes.InvalidText, (l, r) => l["name"] = "Li\u0007Na"),
        (ErrorCodes.RegisterMismatch, (l, r) => l["sex"] = (string)l["sex"]! == "M" ? "F" : "M"),
        (ErrorCodes.RegisterMismatch, (l, r) => l["sex"] = "X"),
        (ErrorCodes.RegisterMismatch, (l, r) => l["birthDate"] = "1900-01-01"),
        (ErrorCodes.RegisterMismatch, (l, r) => l["birthDate"] = "not a date"),
        (ErrorCodes.FaceTemplateInvalid, (l, r) => l["face"] = Convert.ToBase64String(new byte[r.Next(0, 511)])),
        (ErrorCodes.FaceTemplateInvalid, (l, r) => l["face"] = "%%%not base64%%%"),
        (ErrorCodes.FaceTemplateInvalid, (l, r) => l["face"] = Convert.ToBase64String(new byte[512])), // all zero
        (ErrorCodes.FaceTemplateInvalid, (l, r) => l["face"] = RegisterLine.EncodeFace([.. Enumerable.Repeat(float.NaN, 128)])),
        (ErrorCodes.FaceTemplateInvalid, (l, r) => l["face"] = Enumerable.Repeat(0.5, 127).ToArray()),
        (ErrorCodes.FaceTemplateInvalid, (l, r) => l["face"] = Enumerable.Repeat(1e6, 128).ToArray()),
        (ErrorCodes.FaceTemplateInvalid, (l, r) => l.Remove("face")),
        (ErrorCodes.InvalidProvince, (l, r) => l["residenceProvince"] = r.Next(0, 2) == 0 ? "99" : "4"),
        (ErrorCodes.MalformedLine, (l, r) => l["name"] = 42),
        (ErrorCodes.MalformedLine, (l, r) => l["idNumber"] = new[] { "110101199001010011" }),
    ];

    private static string FlipCheck(string id) => id[..17] + (id[17] == '0' ? '1' : '0');
}
