using System.Security.Cryptography;
using NationalId.Protocol;
using NationalId.Tests.Support;

namespace NationalId.Tests.Protocol;

public class PresentationCodecTests
{
    private const string Handle = "c44-abcdefghijklmnopqrstuvwxyz234567";
    private static readonly DateTimeOffset At = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_sealed_presentation_opens_to_what_was_sealed_and_its_signature_verifies()
    {
        using var keys = new TestKeys();
        var credentialId = RandomNumberGenerator.GetBytes(16);
        var nonce = RandomNumberGenerator.GetBytes(16);
        var text = PresentationCodec.Seal(keys.Device, keys.KeyId, keys.ServicePublic, credentialId, Handle, At, nonce);

        Assert.StartsWith("NID1.", text, StringComparison.Ordinal);
        Assert.Equal(PresentationError.None, PresentationCodec.TryOpen(text, keys.Find, out var payload));
        Assert.Equal(credentialId, payload!.CredentialId);
        Assert.Equal(nonce, payload.Nonce);
        Assert.Equal(Handle, payload.CitizenHandle);
        Assert.Equal(At, payload.IssuedAt);
        Assert.True(DeviceRequestSignature.Verify(keys.Device, payload.SignedBytes, payload.Signature));
    }

    [Fact]
    public void The_qr_text_contains_neither_the_handle_nor_the_credential_id()
    {
        using var keys = new TestKeys();
        var credentialId = RandomNumberGenerator.GetBytes(16);
        var text = PresentationCodec.Seal(keys.Device, keys.KeyId, keys.ServicePublic, credentialId, Handle, At);
        Base64Url.TryDecode(text[5..], out var bytes);

        Assert.DoesNotContain(Handle, System.Text.Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(credentialId));
    }

    [Fact]
    public void Two_presentations_of_one_credential_share_no_bytes_beyond_the_fixed_header_prefix()
    {
        using var keys = new TestKeys();
        var credentialId = RandomNumberGenerator.GetBytes(16);
        Base64Url.TryDecode(PresentationCodec.Seal(keys.Device, keys.KeyId, keys.ServicePublic, credentialId, Handle, At)[5..], out var a);
        Base64Url.TryDecode(PresentationCodec.Seal(keys.Device, keys.KeyId, keys.ServicePublic, credentialId, Handle, At)[5..], out var b);

        // Version, suite, key id and the point-format byte are public and equal; everything after differs.
        Assert.Equal(a.AsSpan(0, 7).ToArray(), b.AsSpan(0, 7).ToArray());
        Assert.NotEqual(a.AsSpan(7, 32).ToArray(), b.AsSpan(7, 32).ToArray());
        Assert.NotEqual(a.AsSpan(71).ToArray(), b.AsSpan(71).ToArray());
    }

    [Fact]
    public void A_tampered_ciphertext_fails_to_decrypt()
    {
        using var keys = new TestKeys();
        var text = PresentationCodec.Seal(keys.Device, keys.KeyId, keys.ServicePublic, RandomNumberGenerator.GetBytes(16), Handle, At);
        Base64Url.TryDecode(text[5..], out var bytes);
        bytes[100] ^= 0x01;

        Assert.Equal(PresentationError.DecryptionFailed, PresentationCodec.TryOpen("NID1." + Base64Url.Encode(bytes), keys.Find, out _));
    }

    [Fact]
    public void A_tampered_header_fails_to_decrypt()
    {
        using var keys = new TestKeys();
        var text = PresentationCodec.Seal(keys.Device, keys.KeyId, keys.ServicePublic, RandomNumberGenerator.GetBytes(16), Handle, At);
        Base64Url.TryDecode(text[5..], out var bytes);
        bytes[40] ^= 0x01; // inside the ephemeral key: either off the curve or a different secret

        var result = PresentationCodec.TryOpen("NID1." + Base64Url.Encode(bytes), keys.Find, out _);
        Assert.Contains(result, new[] { PresentationError.DecryptionFailed, PresentationError.Malformed });
    }

    [Fact]
    public void An_unknown_key_id_is_named()
    {
        using var keys = new TestKeys();
        var text = PresentationCodec.Seal(keys.Device, keys.KeyId + 1, keys.ServicePublic, RandomNumberGenerator.GetBytes(16), Handle, At);
        Assert.Equal(PresentationError.UnknownKey, PresentationCodec.TryOpen(text, keys.Find, out _));
    }

    [Fact]
    public void A_presentation_sealed_to_another_service_key_does_not_open()
    {
        using var keys = new TestKeys();
        using var other = new TestKeys();
        var text = PresentationCodec.Seal(keys.Device, keys.KeyId, other.ServicePublic, RandomNumberGenerator.GetBytes(16), Handle, At);
        Assert.Equal(PresentationError.DecryptionFailed, PresentationCodec.TryOpen(text, keys.Find, out _));
    }

    [Fact]
    public void The_signature_of_another_device_key_does_not_verify()
    {
        using var keys = new TestKeys();
        using var thief = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var text = PresentationCodec.Seal(thief, keys.KeyId, keys.ServicePublic, RandomNumberGenerator.GetBytes(16), Handle, At);
        Assert.Equal(PresentationError.None, PresentationCodec.TryOpen(text, keys.Find, out var payload));
        Assert.False(DeviceRequestSignature.Verify(keys.Device, payload!.SignedBytes, payload.Signature));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("NID1.")]
    [InlineData("NID1.!!!!")]
    [InlineData("NID1.AAAA")]
    [InlineData("https://example.com/not-a-presentation")]
    public void Garbage_is_malformed_never_an_exception(string? text)
    {
        using var keys = new TestKeys();
        Assert.Equal(PresentationError.Malformed, PresentationCodec.TryOpen(text, keys.Find, out var payload));
        Assert.Null(payload);
    }

    [Fact]
    public void An_unknown_version_is_named()
    {
        using var keys = new TestKeys();
        var text = PresentationCodec.Seal(keys.Device, keys.KeyId, keys.ServicePublic, RandomNumberGenerator.GetBytes(16), Handle, At);
        Base64Url.TryDecode(text[5..], out var bytes);
        bytes[0] = 0x09;
        Assert.Equal(PresentationError.UnsupportedVersion, PresentationCodec.TryOpen("NID1." + Base64Url.Encode(bytes), keys.Find, out _));
    }

    [Fact]
    public void Random_bytes_of_every_length_never_throw()
    {
        using var keys = new TestKeys();
        var random = new Random(42);
        for (var length = 0; length < 400; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            if (length > 1)
            {
                bytes[0] = 1;
                bytes[1] = 1;
            }

            var result = PresentationCodec.TryOpen("NID1." + Base64Url.Encode(bytes), keys.Find, out _);
            Assert.NotEqual(PresentationError.None, result);
        }
    }

    [Fact]
    public void An_x25519_presentation_opens_to_what_was_sealed()
    {
        using var keys = new TestKeys();
        var service = X25519PresentationKey.FromRawPrivateKey(Convert.FromBase64String(NationalId.Verification.PresentationKeyRing.NewX25519PrivateKey()));
        var credentialId = RandomNumberGenerator.GetBytes(16);
        var text = PresentationCodec.Seal(keys.Device, new ServicePresentationKey(9, ProtocolConstants.SuiteX25519, service.PublicKey), credentialId, Handle, At);

        Assert.Equal(PresentationError.None, PresentationCodec.TryOpen(text, id => id == 9 ? service : null, out var payload));
        Assert.Equal(credentialId, payload!.CredentialId);
        Assert.True(DeviceRequestSignature.Verify(keys.Device, payload.SignedBytes, payload.Signature));
        Base64Url.TryDecode(text[5..], out var bytes);
        Assert.Equal(ProtocolConstants.SuiteX25519, bytes[1]);
        Assert.True(bytes.Length < 300, "X25519 presentations are 33 bytes shorter than P-256 ones");
    }

    [Fact]
    public void An_x25519_presentation_with_a_low_order_ephemeral_key_is_refused()
    {
        using var keys = new TestKeys();
        var service = X25519PresentationKey.FromRawPrivateKey(Convert.FromBase64String(NationalId.Verification.PresentationKeyRing.NewX25519PrivateKey()));
        var text = PresentationCodec.Seal(keys.Device, new ServicePresentationKey(9, ProtocolConstants.SuiteX25519, service.PublicKey), RandomNumberGenerator.GetBytes(16), Handle, At);
        Base64Url.TryDecode(text[5..], out var bytes);
        bytes.AsSpan(6, 32).Clear(); // the all-zero point: every shared secret would be zero

        Assert.Equal(PresentationError.Malformed, PresentationCodec.TryOpen("NID1." + Base64Url.Encode(bytes), id => id == 9 ? service : null, out _));
    }

    [Fact]
    public void A_presentation_of_one_suite_under_a_key_id_of_the_other_is_an_unknown_key()
    {
        using var keys = new TestKeys();
        var service = X25519PresentationKey.FromRawPrivateKey(Convert.FromBase64String(NationalId.Verification.PresentationKeyRing.NewX25519PrivateKey()));
        var p256 = PresentationCodec.Seal(keys.Device, keys.KeyId, keys.ServicePublic, RandomNumberGenerator.GetBytes(16), Handle, At);
        Assert.Equal(PresentationError.UnknownKey, PresentationCodec.TryOpen(p256, id => id == keys.KeyId ? service : null, out _));
    }
}
