using System.Net;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;
using NationalId.IdNumbers;

namespace NationalId.Tests.Support;

/// <summary>Steps the real-process tests share: a citizen enrolled and a phone bound through one gateway.</summary>
public static class SiloClients
{
    public static async Task<Wallet> EnrollAndActivateAsync(HttpClient gateway, string operatorKey, ResidentIdNumber id, int person)
    {
        var face = FaceVectors.Person(person);
        Assert.Equal(HttpStatusCode.Created, (await gateway.PostAsOperator(operatorKey, "/v1/operator/citizens",
            new EnrollCitizenRequest(id.Value, $"Citizen {person}", FaceVectors.Live(face), null))).StatusCode);
        var wallet = Wallet.Create();
        Assert.Equal(HttpStatusCode.Created, (await wallet.ActivateAsync(gateway, id.Value, FaceVectors.Live(FaceVectors.Capture(face, 1)), null)).StatusCode);
        return wallet;
    }

    /// <summary>Registers an RP of province 11 for the given scopes; returns its API key.</summary>
    public static async Task<string> RegisterRelyingPartyAsync(HttpClient gateway, string operatorKey, params string[] scopes)
    {
        using var response = await gateway.PostAsOperator(operatorKey, "/v1/operator/relying-parties", new RegisterRelyingPartyRequest($"RP {Guid.NewGuid():N}", "rail", "11", scopes));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<RegisterRelyingPartyResponse>(response.Content, ApiClientJson.Options))!.ApiKey;
    }
}
