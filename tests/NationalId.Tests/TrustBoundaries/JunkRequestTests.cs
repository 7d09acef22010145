using System.Net;
using System.Security.Cryptography;
using NationalId.Client.Faces;
using NationalId.Client.Wallet;
using NationalId.Protocol;
using NationalId.Tests.EndToEnd;
using NationalId.Tests.Support;
using Xunit.Abstractions;

namespace NationalId.Tests.TrustBoundaries;

/// <summary>
/// Unauthenticated junk leaves nothing behind: wallet requests naming made-up citizens and remote activations of
/// numbers nobody enrolled are answered like any failed proof, and no citizen activation stays in memory after them
/// (before: each left one for the grain collection age). Each still costs one storage read (stated, not hidden).
/// </summary>
[Collection(GatewayCollection.Name)]
public class JunkRequestTests(GatewayFixture gateway, ITestOutputHelper output)
{

    [Fact]
    public async Task A_thousand_junk_wallet_and_activation_requests_leave_no_citizen_activation_behind()
    {
        using var http = gateway.CreateClient();
        var before = await Diagnostics.CitizenActivationsAsync(gateway);
        using var phone = Wallet.Create();
        for (var i = 0; i < 500; i++)
        {
            // A well-shaped handle nobody has, a credential id, a signature of junk bytes.
            var handle = "c44-" + Security.Base32.Encode(RandomNumberGenerator.GetBytes(20), 32);
            using var junk = phone.SignedRequest(HttpMethod.Get, "/v1/wallet/history", [], withCredential: false);
            junk.Headers.Add(DeviceRequestSignature.CredentialHeader, DeviceRequestSignature.CredentialReference(handle, RandomNumberGenerator.GetBytes(16)));
            using var answer = await http.SendAsync(junk);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);

            using var guess = await Wallet.Create().ActivateAsync(http, TestIdentities.Next().Value, FaceVectors.Live(FaceVectors.Person(i)), null);
            Assert.Equal(HttpStatusCode.Forbidden, guess.StatusCode);
        }

        var after = await Diagnostics.CitizenActivationsAsync(gateway);
        output.WriteLine($"citizen activations before {before}, after 1,000 junk requests {after}");
        Assert.True(after <= before, $"{after - before} citizen activations left behind by junk");
    }
}
