using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using NationalId.Citizens.Rules;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Silo.Apis;
using Npgsql;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// After the whole story (enrollment, phone, QR and counter verifications, a printed card, a mandate, a residence),
/// a pg_dump of the database holds no plaintext ID number, name or face template.
/// </summary>
[Collection(GatewayCollection.Name)]
public class DatabaseDumpTests(GatewayFixture gateway)
{
    [Fact]
    public async Task A_database_dump_after_the_story_contains_no_plaintext_id_number_name_or_face_template()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync(region: "330106", name: "Ouyang Xiuying");
        var (other, otherFace) = await story.EnrollAsync(region: "330106", name: "Sima Guangwen");
        using var phone = await story.ActivateAsync(id, face);
        using var otherPhone = await story.ActivateAsync(other, otherFace);
        var hotel = await story.RegisterAsync("hotel", "33", "hotel.checkin");
        var bank = await story.RegisterAsync("bank", "33", "bank.account");
        Assert.True((await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", phone.Present(), FaceVectors.Live(FaceVectors.Capture(face, 3)))).Verified);
        Assert.True((await CounterTests.InPerson(story, bank.ApiKey, "bank.account", id.Value, FaceVectors.Live(FaceVectors.Capture(face, 4)))).Verified);
        var card = await CounterTests.IssueCard(story, id, face);
        Assert.True((await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", card.CardQr, FaceVectors.Live(FaceVectors.Capture(face, 5)))).Verified);
        Assert.Equal(HttpStatusCode.Created, (await phone.GrantMandateAsync(story.Http, other.Value, ["bank.account"], FaceVectors.Live(FaceVectors.Capture(face, 6)))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await phone.RegisterResidenceAsync(story.Http, "44")).StatusCode);

        // Nothing to re-wrap: every citizen is sealed under the current master key.
        using (var rewrap = new HttpRequestMessage(HttpMethod.Post, "/v1/operator/maintenance/rewrap"))
        {
            rewrap.Headers.Add("X-Operator-Key", gateway.OperatorKey);
            var report = await (await story.Http.SendAsync(rewrap)).Content.ReadFromJsonAsync<DiagnosticsApi.RewrapReport>(ApiClientJson.Options);
            Assert.Equal(0, report!.Remaining);
        }

        var dump = await PgDump(gateway.Database.ConnectionString);
        Assert.Contains("orleans_grain_state", dump, StringComparison.Ordinal); // the dump has the data
        var enrolledTemplate = Convert.ToBase64String(FaceMatcher.Pack(FaceVectors.Capture(face, 1)));
        foreach (var secret in new[] { id.Value, other.Value, "Ouyang Xiuying", "Sima Guangwen", enrolledTemplate, enrolledTemplate[..24] })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
        }

        // Every stored citizen is sealed, none has a personal field in clear.
        Assert.Equal(0, await gateway.Database.CountAsync(
            "SELECT count(*) FROM orleans_grain_state_json WHERE grain_type = 'citizen' " +
            "AND (payload_json ? 'IdNumber' OR payload_json ? 'Name' OR payload_json ? 'FaceTemplate' OR NOT payload_json ? 'sealed')"));
    }

    private static async Task<string> PgDump(string connectionString)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        var pgDump = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending()
            .Select(d => Path.Combine(d, "bin", "pg_dump")).FirstOrDefault(File.Exists) ?? "pg_dump";
        var info = new ProcessStartInfo(pgDump) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-h", c.Host!, "-p", c.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", c.Username!, "-d", c.Database!, "--data-only" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var dump = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        return dump;
    }
}
