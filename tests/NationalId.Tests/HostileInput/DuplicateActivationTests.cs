using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using NationalId.Api;
using NationalId.Client;
using NationalId.Errors;
using NationalId.Tests.EndToEnd;
using NationalId.Tests.Support;

namespace NationalId.Tests.HostileInput;

/// <summary>
/// Two activations of one citizen at once, as Orleans' directory can briefly hold during membership changes: forced
/// here with two silo processes of two clusters on one database (each cluster its own directory, so each activates the
/// citizen, each with its own in-memory window). The same QR sent to both at once is verified exactly once.
/// </summary>
[Collection(RealProcessCollection.Name)]
[Trait("Category", "Failure")]
public sealed class DuplicateActivationTests : IAsyncLifetime
{
    private readonly List<SiloProcess> _silos = [];
    private readonly List<HttpClient> _gateways = [];
    private PostgresDatabase _database = null!;
    private string _operatorKey = string.Empty;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _operatorKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var presentationKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        string[] shared = [$"--ConnectionStrings:NationalId={_database.ConnectionString}", .. SiloArguments.Shared($"twin-{Guid.NewGuid():N}", _operatorKey, presentationKey)];
        _silos.Add(await SiloProcess.StartAsync(new Uri($"http://127.0.0.1:{FreePort.Next()}"), [.. shared, .. SiloArguments.Ports()]));
        _silos.Add(await SiloProcess.StartAsync(new Uri($"http://127.0.0.1:{FreePort.Next()}"), [.. shared, .. SiloArguments.Ports(), $"--Orleans:ClusterId=twin-{Guid.NewGuid():N}"]));
        _gateways.AddRange(_silos.Select(s => new HttpClient { BaseAddress = s.BaseAddress, Timeout = TimeSpan.FromSeconds(30) }));
    }

    public async Task DisposeAsync()
    {
        _gateways.ForEach(g => g.Dispose());
        _silos.ForEach(s => s.Dispose());
        await _database.DisposeAsync();
    }

    private static async Task<VerificationResponse> VerifyAsync(HttpClient gateway, string apiKey, string qr)
    {
        using var response = await gateway.VerifyAsync(apiKey, new VerificationRequest("rail.gate", qr, null, null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options))!;
    }

    [Fact]
    public async Task The_same_qr_sent_to_two_activations_of_one_citizen_at_once_is_verified_exactly_once()
    {
        using var wallet = await SiloClients.EnrollAndActivateAsync(_gateways[0], _operatorKey, TestIdentities.Next("440106"), 4242);
        var register = await _gateways[0].PostAsOperator(_operatorKey, "/v1/operator/relying-parties", new RegisterRelyingPartyRequest("Railway", "rail", "44", ["rail.gate"]));
        var rail = (await register.Content.ReadFromJsonAsync<RegisterRelyingPartyResponse>(ApiClientJson.Options))!.ApiKey;

        // Both clusters activate the citizen and load its single-use window before the QRs below exist.
        Assert.True((await VerifyAsync(_gateways[0], rail, wallet.Present())).Verified);
        Assert.True((await VerifyAsync(_gateways[1], rail, wallet.Present())).Verified);

        for (var round = 0; round < 20; round++)
        {
            var qr = wallet.Present();
            var answers = await Task.WhenAll(VerifyAsync(_gateways[0], rail, qr), VerifyAsync(_gateways[1], rail, qr));
            Assert.Single(answers, a => a.Verified);
            Assert.Single(answers, a => !a.Verified && a.Reason == RejectionReason.Replayed);
        }

        Assert.Equal(22, await _database.CountAsync("SELECT count(*) FROM access_history WHERE kind = 'verification' AND verified"));
        Assert.Equal(20, await _database.CountAsync($"SELECT count(*) FROM access_history WHERE kind = 'verification' AND reason = '{RejectionReason.Replayed}'"));
        Assert.Equal(22, await _database.CountAsync("SELECT count(*) FROM presentation_nonce"));
    }
}
