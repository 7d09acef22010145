using System.Net;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;
using NationalId.IdNumbers;
using NationalId.Tests.Support;

namespace NationalId.Tests.EndToEnd;

/// <summary>The steps of the citizen story, through HTTP, as an operator, a phone and a terminal would do them.</summary>
public sealed class Story(GatewayFixture gateway) : IDisposable
{
    public HttpClient Http { get; } = gateway.CreateClient();

    public string OperatorKey => gateway.OperatorKey;

    public async Task<(ResidentIdNumber Id, float[] Face)> EnrollAsync(string region = "510104", string name = "Liu Yang")
    {
        var id = TestIdentities.Next(region);
        var face = FaceVectors.Person(Random.Shared.Next());
        var response = await Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens",
            new EnrollCitizenRequest(id.Value, name, FaceVectors.Live(FaceVectors.Capture(face, 1)), null));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (id, face);
    }

    public async Task<RegisterRelyingPartyResponse> RegisterAsync(string sector, string province, params string[] scopes)
    {
        var response = await Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/relying-parties",
            new RegisterRelyingPartyRequest($"Test {sector} {Guid.NewGuid():N}", sector, province, scopes));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<RegisterRelyingPartyResponse>(ApiClientJson.Options))!;
    }

    public async Task<Wallet> ActivateAsync(ResidentIdNumber id, float[] face)
    {
        var wallet = Wallet.Create();
        var response = await wallet.ActivateAsync(Http, id.Value, FaceVectors.Live(FaceVectors.Capture(face, Random.Shared.Next())), null, "phone");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return wallet;
    }

    public async Task<VerificationResponse> VerifyAsync(string apiKey, string scope, string presentation, FaceInput? face = null, MatchInput? match = null)
    {
        var response = await Http.VerifyAsync(apiKey, new VerificationRequest(scope, presentation, face, match));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options))!;
    }

    public static async Task<string?> ErrorCodeAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return problem.TryGetProperty("code", out var code) ? code.GetString() : null;
    }

    public void Dispose() => Http.Dispose();
}
