using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;
using NationalId.Tests.Support;
using Xunit.Abstractions;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// Nothing acknowledged is lost when the silo process is killed with SIGKILL under load: every "verified" answer has
/// its history line, and every acknowledged enrollment, activation and revocation is in force after a restart.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private string[] _args = [];
    private Uri _address = null!;
    private string _operatorKey = string.Empty;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _operatorKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var presentationKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        _address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        _args =
        [
            $"--ConnectionStrings:NationalId={_database.ConnectionString}",
            .. SiloArguments.Make($"crash-{Guid.NewGuid():N}", _operatorKey, presentationKey),
        ];
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Kill_9_under_verification_load_loses_nothing_acknowledged()
    {
        var silo = await SiloProcess.StartAsync(_address, _args);
        using var http = new HttpClient { BaseAddress = _address, Timeout = TimeSpan.FromSeconds(10) };
        string apiKey;
        var wallets = new List<Wallet>();
        Wallet revoked;
        try
        {
            var register = await http.PostAsOperator(_operatorKey, "/v1/operator/relying-parties", new RegisterRelyingPartyRequest("Railway", "rail", "11", ["rail.gate"]));
            apiKey = (await register.Content.ReadFromJsonAsync<RegisterRelyingPartyResponse>(ApiClientJson.Options))!.ApiKey;
            for (var i = 0; i < 12; i++)
            {
                var id = TestIdentities.Next();
                var face = FaceVectors.Person(1000 + i);
                Assert.Equal(HttpStatusCode.Created, (await http.PostAsOperator(_operatorKey, "/v1/operator/citizens",
                    new EnrollCitizenRequest(id.Value, $"Citizen {i}", FaceVectors.Live(face), null))).StatusCode);
                var wallet = Wallet.Create();
                Assert.Equal(HttpStatusCode.Created, (await wallet.ActivateAsync(http, id.Value, FaceVectors.Live(FaceVectors.Capture(face, i)), null)).StatusCode);
                wallets.Add(wallet);
            }

            revoked = wallets[^1];
            Assert.Equal(HttpStatusCode.NoContent, (await revoked.RevokeAsync(http, revoked.File.CredentialId!, "stolen")).StatusCode);

            // Verification load from 6 workers; the kill comes once 150 answers are in, mid-stream.
            var verified = new ConcurrentBag<Guid>();
            var errors = 0;
            var answered = 0;
            var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
            {
                var n = 0;
                while (!stop.IsCancellationRequested && n++ < 2000)
                {
                    var wallet = wallets[(w + n) % (wallets.Count - 1)];
                    try
                    {
                        var response = await http.VerifyAsync(apiKey, new VerificationRequest("rail.gate", wallet.Present(), null, null));
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            var result = (await response.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options))!;
                            if (result.Verified)
                            {
                                verified.Add(result.VerificationId);
                            }
                        }
                        else
                        {
                            Interlocked.Increment(ref errors);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref errors);
                        return; // the process is gone
                    }

                    if (Interlocked.Increment(ref answered) == 150)
                    {
                        killNow.TrySetResult();
                    }
                }
            })).ToList();

            await killNow.Task.WaitAsync(TimeSpan.FromMinutes(2));
            silo.KillHard();
            stop.Cancel();
            await Task.WhenAll(workers);
            output.WriteLine($"{verified.Count} verified answers before the kill, {errors} requests failed with it");
            Assert.True(verified.Count >= 100);

            // Restart on the same database and ports: everything acknowledged must be there.
            silo.Dispose();
            silo = await SiloProcess.StartAsync(_address, _args);
            var ids = string.Join(',', verified.Select(v => $"'{v}'"));
            Assert.Equal(verified.Count, await _database.CountAsync(
                $"SELECT count(*) FROM access_history WHERE kind = 'verification' AND verified AND event_id IN ({ids})"));

            var after = await http.VerifyAsync(apiKey, new VerificationRequest("rail.gate", wallets[0].Present(), null, null));
            Assert.True((await after.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options))!.Verified);
            var stolen = await http.VerifyAsync(apiKey, new VerificationRequest("rail.gate", revoked.Present(), null, null));
            Assert.Equal("revoked", (await stolen.Content.ReadFromJsonAsync<VerificationResponse>(ApiClientJson.Options))!.Reason);
        }
        finally
        {
            silo.Dispose();
            wallets.ForEach(w => w.Dispose());
        }
    }
}
