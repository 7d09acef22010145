using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using NationalId.Client.Faces;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// Generated request bodies against the JSON API through real HTTP: JSON objects made of the API's own member names
/// with values of every type, and garbage. No 5xx, every refusal a 4xx with a stable code, and nothing stored.
/// </summary>
[Collection(GatewayCollection.Name)]
public class ApiFuzzTests(GatewayFixture gateway)
{
    private const long Cases = 50_000;

    private static readonly string[] Members =
    [
        "idNumber", "name", "face", "template", "liveness", "scope", "scopes", "presentation", "match", "attribute", "value",
        "onBehalfOf", "legalName", "sector", "province", "publicKey", "activationCode", "delegateIdNumber", "principalIdNumber",
        "kind", "validFrom", "validUntil", "reason", "channel", "credentialId", "mandateId", "residenceProvince", "label",
    ];

    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.String.Select(s => JsonSerializer.Serialize(s)),
        OneOf("\"11010519491231002X\"", "\"44\"", "\"hotel.checkin\"", "\"rail\"", "\"NID1.AAAA\"", "\"NIDC1.\"", "\"\"", "\"2026-11-26T00:00:00Z\""),
        Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "1e400"),
        Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        OneOf("true", "false", "null", "\"NaN\"", "-0", "1e308"));

    private static readonly Gen<string> Value = Gen.OneOf(
        Scalar,
        Gen.Single.Array[0, 140].Select(a => "[" + string.Join(',', a.Select(f => float.IsFinite(f) ? f.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "0")) + "]"),
        Scalar.Array[0, 4].Select(a => "[" + string.Join(',', a) + "]"),
        Gen.Select(Gen.Int[0, Members.Length - 1].Array[0, 3], Scalar.Array[3])
            .Select(t => "{" + string.Join(',', t.Item1.Select((m, i) => $"\"{Members[m]}\":{t.Item2[i]}")) + "}"));

    private static readonly Gen<string> Body = Gen.OneOf(
        Gen.Select(Gen.Int[0, Members.Length - 1].Array[0, 8], Value.Array[8])
            .Select(t => "{" + string.Join(',', t.Item1.Distinct().Select((m, i) => $"\"{Members[m]}\":{t.Item2[i]}")) + "}"),
        Gen.String,
        Value);

    private static Gen<string> OneOf(params string[] constants) => Gen.Int[0, constants.Length - 1].Select(i => constants[i]);

    [Fact]
    public async Task Generated_bodies_get_4xx_with_a_code_never_5xx_and_change_nothing()
    {
        using var story = new Story(gateway);
        var rp = await story.RegisterAsync("hotel", "44", "hotel.checkin", "bank.account");
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);
        string[] endpoints =
        [
            "/v1/operator/citizens", "/v1/operator/citizens/lookup", "/v1/operator/citizens/residence", "/v1/operator/relying-parties",
            "/v1/operator/cards", "/v1/operator/mandates", "/v1/operator/citizens/credentials/revoke",
            "/v1/verifications", "/v1/verifications/in-person", "/v1/wallet/activations", "/v1/wallet/mandates",
        ];
        const string counts = "SELECT (SELECT count(*) FROM orleans_grain_state) * 1000000 + (SELECT count(*) FROM access_history)";
        var before = await gateway.Database.CountAsync(counts);

        using var http = gateway.CreateClient();
        var serverErrors = 0;
        var withoutCode = 0;
        var accepted = new List<string>();
        await Gen.Select(Gen.Int[0, endpoints.Length - 1], Body).SampleAsync(async (endpoint, body) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoints[endpoint]) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (endpoints[endpoint].StartsWith("/v1/operator", StringComparison.Ordinal))
            {
                request.Headers.Add("X-Operator-Key", gateway.OperatorKey);
            }
            else if (endpoints[endpoint].StartsWith("/v1/verifications", StringComparison.Ordinal))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rp.ApiKey);
            }

            using var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            if (status >= 500)
            {
                Interlocked.Increment(ref serverErrors);
            }
            else if (status >= 400)
            {
                if (await Story.ErrorCodeAsync(response) is null)
                {
                    Interlocked.Increment(ref withoutCode);
                }
            }
            else
            {
                // A verification of garbage is a 200 rejection with a reason, nothing stored; anything else is a finding.
                var answer = await response.Content.ReadAsStringAsync();
                if (!(endpoints[endpoint].StartsWith("/v1/verifications", StringComparison.Ordinal) && answer.Contains("\"verified\":false", StringComparison.Ordinal)))
                {
                    lock (accepted)
                    {
                        accepted.Add($"{endpoints[endpoint]} {status}: {body}");
                    }
                }
            }
        }, iter: Cases, threads: 4);

        Assert.Equal(0, serverErrors);
        Assert.Equal(0, withoutCode);
        Assert.Empty(accepted);
        Assert.Equal(before, await gateway.Database.CountAsync(counts));
        Assert.True((await story.VerifyAsync(rp.ApiKey, "hotel.checkin", phone.Present(), FaceVectors.Live(FaceVectors.Capture(face, 2)))).Verified); // still serving
    }

    private static readonly Gen<string> QueryValue = Gen.OneOf(
        Gen.Byte.Array[0, 12].Select(b => string.Concat(b.Select(x => $"%{x:X2}"))), // any bytes, UTF-8 or not
        OneOf("abc", "-1", "0", "101", "99999999999999999999", "1e3", "ffffffff-ffff-7fff-bfff-ffffffffffff", "00000000-0000-0000-0000-000000000000",
            Guid.CreateVersion7().ToString(), "%00", "true", "%E2%80%AE"),
        Gen.String[Gen.Char.AlphaNumeric, 0, 40]);

    private static readonly Gen<string> Query = Gen.Select(Gen.Int[0, 3].Array[0, 4], QueryValue.Array[4])
        .Select(t => "?" + string.Join('&', t.Item1.Select((k, i) => $"{new[] { "limit", "before", "after", "x" }[k]}={t.Item2[i]}")));

    // Header values Kestrel itself accepts (visible ASCII): what reaches the service and must be answered by it.
    private static readonly Gen<string> HeaderValue = Gen.OneOf(
        Gen.String[Gen.Char['!', '~'], 0, 60],
        OneOf("Bearer ", "Bearer rp-44-aaaaaaaaaaaaaaaa.x", "0", "-1", "99999999999999999999", "AAAA", "====", "c44-abc.AAAA"));

    [Fact]
    public async Task Generated_query_strings_and_headers_get_2xx_or_4xx_with_a_code_never_5xx_and_change_nothing()
    {
        using var story = new Story(gateway);
        var rp = await story.RegisterAsync("bank", "44", "bank.account");
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);
        string[] headers = ["Authorization", "X-Operator-Key", "X-Nid-Timestamp", "X-Nid-Signature", "X-Nid-Credential", "Last-Event-ID", "Accept-Language", "X-Forwarded-For"];
        const string counts = "SELECT (SELECT coalesce(sum(version), 0) FROM orleans_grain_state WHERE grain_type NOT LIKE '%quota%') * 1000000 + (SELECT count(*) FROM access_history)";
        var before = await gateway.Database.CountAsync(counts);

        using var http = gateway.CreateClient();
        var wrong = new List<string>();
        await Gen.Select(Gen.Int[0, 3], Query, Gen.Select(Gen.Int[0, headers.Length - 1], HeaderValue).Array[0, 3], Gen.Bool).SampleAsync(async (endpoint, query, extra, signed) =>
        {
            var path = new[] { "/v1/relying-parties/me/verifications", "/v1/relying-parties/me/events", "/v1/wallet/history", "/v1/wallet/events" }[endpoint] + query;
            using var request = endpoint >= 2 && signed ? phone.SignedRequest(HttpMethod.Get, path, [], withCredential: true) : new HttpRequestMessage(HttpMethod.Get, path);
            if (endpoint < 2 && signed)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rp.ApiKey);
            }

            foreach (var (h, value) in extra)
            {
                request.Headers.Remove(headers[h]);
                request.Headers.TryAddWithoutValidation(headers[h], value);
            }

            using var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            if (status >= 500 || (status >= 400 && await Story.ErrorCodeAsync(response) is null))
            {
                lock (wrong)
                {
                    wrong.Add($"{status} GET {path} {string.Join(", ", extra.Select(e => $"{headers[e.Item1]}: {e.Item2}"))}");
                }
            }
        }, iter: 5_000, threads: 4);

        Assert.Empty(wrong);
        Assert.Equal(before, await gateway.Database.CountAsync(counts));
    }
}
