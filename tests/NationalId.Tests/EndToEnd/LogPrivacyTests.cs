using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;
using NationalId.Tests.Support;
using Xunit.Abstractions;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// The whole story against a real silo process logging at Debug level (ours, Orleans', ASP.NET Core's, Npgsql's):
/// its console output and its /metrics hold no ID number, name, citizen handle, pseudonym, QR text or face data.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed partial class LogPrivacyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private SiloProcess _silo = null!;
    private string _operatorKey = string.Empty;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _operatorKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var presentationKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _silo = await SiloProcess.StartAsync(new Uri($"http://127.0.0.1:{FreePort.Next()}"),
        [
            $"--ConnectionStrings:NationalId={_database.ConnectionString}",
            .. SiloArguments.Make($"logs-{Guid.NewGuid():N}", _operatorKey, presentationKey),
            "--Logging:LogLevel:Default=Debug", // after SiloArguments' Warning: the last value wins
            "--Logging:LogLevel:Orleans=Debug",
            "--Logging:LogLevel:Microsoft=Debug",
            "--Logging:LogLevel:Npgsql=Debug",
        ]);
    }

    public async Task DisposeAsync()
    {
        _silo.Dispose();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Debug_logs_and_metrics_of_the_whole_story_hold_no_personal_data()
    {
        using var http = new HttpClient { BaseAddress = _silo.BaseAddress };
        var personal = new List<string>();
        async Task<(string Id, float[] Face, Wallet Phone)> Citizen(string region, string name, int person)
        {
            var id = TestIdentities.Next(region);
            var face = FaceVectors.Person(person);
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsOperator(_operatorKey, "/v1/operator/citizens",
                new EnrollCitizenRequest(id.Value, name, FaceVectors.Live(face), null))).StatusCode);
            var phone = Wallet.Create();
            Assert.Equal(HttpStatusCode.Created, (await phone.ActivateAsync(http, id.Value, FaceVectors.Live(FaceVectors.Capture(face, 1)), null)).StatusCode);
            personal.AddRange([id.Value, name, face[0].ToString("R", System.Globalization.CultureInfo.InvariantCulture), phone.File.CitizenHandle!]);
            return (id.Value, face, phone);
        }

        var (id, face, phone) = await Citizen("440106", "Huangfu Mingyue", 4401);
        var (otherId, _, otherPhone) = await Citizen("510104", "Zhuge Kongming", 5101);
        var register = await http.PostAsOperator(_operatorKey, "/v1/operator/relying-parties", new RegisterRelyingPartyRequest("Hotel", "hotel", "11", ["hotel.checkin", "bank.account"]));
        var apiKey = (await register.Content.ReadFromJsonAsync<RegisterRelyingPartyResponse>(ApiClientJson.Options))!.ApiKey;

        var qr = phone.Present();
        var verified = await (await http.VerifyAsync(apiKey, new VerificationRequest("hotel.checkin", qr, FaceVectors.Live(FaceVectors.Capture(face, 2)), null)))
            .Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options);
        Assert.True(verified!.Verified);
        personal.AddRange([verified.Pseudonym!, qr[..40]]);
        await http.VerifyAsync(apiKey, new VerificationRequest("hotel.checkin", qr, null, null)); // a replay, a rejection
        Assert.Equal(HttpStatusCode.Created, (await phone.GrantMandateAsync(http, otherId, ["bank.account"], FaceVectors.Live(FaceVectors.Capture(face, 6)))).StatusCode);
        var card = await http.PostAsOperator(_operatorKey, "/v1/operator/cards", new IssueCardRequest(id, FaceVectors.Live(FaceVectors.Capture(face, 3))));
        var cardQr = (await card.Content.ReadFromJsonAsync<IssueCardResponse>(ApiClientJson.Options))!.CardQr;
        personal.Add(cardQr[..30]);
        await http.VerifyAsync(apiKey, new VerificationRequest("hotel.checkin", cardQr, FaceVectors.Live(FaceVectors.Person(77)), null)); // wrong face
        await http.PostAsOperator(_operatorKey, "/v1/operator/citizens", new EnrollCitizenRequest(id, "Someone Else", FaceVectors.Live(face), null)); // conflict
        await http.PostAsOperator(_operatorKey, "/v1/operator/citizens", new EnrollCitizenRequest(id[..17] + "0", "Bad", FaceVectors.Live(face), null)); // 400
        var metrics = await http.GetStringAsync("/metrics");

        _silo.Dispose(); // the output is complete once the process is gone
        var logs = string.Join('\n', _silo.Output);
        var redactions = Regex.Count(logs, @"\[redacted\]|\[id-number\]|\.\[qr\]");
        output.WriteLine($"{_silo.Output.Count} log lines, {logs.Length} characters, {redactions} redactions; metrics {metrics.Length} characters");
        output.WriteLine(string.Join('\n', _silo.Output.Where(l => l.Contains("[redacted]", StringComparison.Ordinal)).Take(3)));
        Assert.True(_silo.Output.Count > 200, "debug logging produced too little output to prove anything");
        Assert.Contains(" Debug ", logs, StringComparison.Ordinal);
        Assert.True(redactions > 0, "Orleans names grains at debug level: the redactor should have had handles to replace");
        foreach (var text in new[] { logs, metrics })
        {
            foreach (var secret in personal.Append(id[..17]))
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }

            Assert.DoesNotMatch(Handle(), text);
            Assert.DoesNotMatch(IdNumber(), text);
        }

        phone.Dispose();
        otherPhone.Dispose();
    }

    [GeneratedRegex(@"\bc\d{2}-[a-z2-7]{32}\b")]
    private static partial Regex Handle();

    [GeneratedRegex(@"(?<![0-9])[1-9]\d{16}[0-9X](?![0-9])")]
    private static partial Regex IdNumber();
}
