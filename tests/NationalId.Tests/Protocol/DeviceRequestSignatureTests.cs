using System.Security.Cryptography;
using System.Text;
using NationalId.Protocol;

namespace NationalId.Tests.Protocol;

public class DeviceRequestSignatureTests
{
    [Fact]
    public void A_signed_request_verifies_with_the_same_method_path_time_and_body()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = Encoding.UTF8.GetBytes("{\"reason\":\"lost\"}");
        var signature = DeviceRequestSignature.Sign(key, "POST", "/v1/wallet/credentials/revoke", 1_700_000_000_000, body);
        Base64Url.TryDecode(signature, out var raw);

        Assert.True(DeviceRequestSignature.Verify(key, DeviceRequestSignature.SignedBytes("POST", "/v1/wallet/credentials/revoke", 1_700_000_000_000, body), raw));
        Assert.False(DeviceRequestSignature.Verify(key, DeviceRequestSignature.SignedBytes("POST", "/v1/wallet/credentials/revoke", 1_700_000_000_001, body), raw));
        Assert.False(DeviceRequestSignature.Verify(key, DeviceRequestSignature.SignedBytes("POST", "/v1/wallet/activations", 1_700_000_000_000, body), raw));
        Assert.False(DeviceRequestSignature.Verify(key, DeviceRequestSignature.SignedBytes("POST", "/v1/wallet/credentials/revoke", 1_700_000_000_000, [.. body, 32]), raw));
    }

    [Fact]
    public void Credential_references_round_trip_and_reject_garbage()
    {
        var id = RandomNumberGenerator.GetBytes(16);
        var reference = DeviceRequestSignature.CredentialReference("c44-abc", id);
        Assert.True(DeviceRequestSignature.TryParseCredentialReference(reference, out var handle, out var parsed));
        Assert.Equal("c44-abc", handle);
        Assert.Equal(id, parsed);
        Assert.False(DeviceRequestSignature.TryParseCredentialReference("no-dot", out _, out _));
        Assert.False(DeviceRequestSignature.TryParseCredentialReference("c44.AAAA", out _, out _));
        Assert.False(DeviceRequestSignature.TryParseCredentialReference(null, out _, out _));
    }
}
