using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace NationalId.Protocol;

/// <summary>
/// Seals (on the phone) and opens (in the service) presentation QR codes. Layout, in docs/reference/protocol.md:
/// header = version(1) ‖ suite(1) ‖ keyId(4, big-endian) ‖ ephemeral public key (suite 1: P-256 SEC1 uncompressed,
/// 65 bytes; suite 2: X25519, 32 bytes);
/// body = AES-256-GCM(key, iv, plaintext, aad = header) ‖ tag(16), where key ‖ iv = HKDF-SHA256(agreed secret,
/// salt = none, info = "NID presentation v1" ‖ header, 44 bytes);
/// plaintext = 0x01 ‖ credentialId(16) ‖ issuedAt(8, unix ms, big-endian) ‖ nonce(16) ‖ handleLength(1) ‖ handle
/// ‖ signature(64, ECDSA P-256 SHA-256, r ‖ s) over "NID-PRESENTATION-v1" ‖ header ‖ plaintext-before-signature.
/// </summary>
public static class PresentationCodec
{
    private const int KeyAndIvLength = 32 + 12;

    /// <summary>Makes a presentation as a wallet does: offline, with the device key and the service's public key.</summary>
    public static string Seal(ECDsa deviceKey, ServicePresentationKey serviceKey, byte[] credentialId, string citizenHandle, DateTimeOffset issuedAt, byte[]? nonce = null)
    {
        ArgumentNullException.ThrowIfNull(serviceKey);
        if (serviceKey.Suite == ProtocolConstants.SuiteX25519)
        {
            using var ephemeral = Key.Create(KeyAgreementAlgorithm.X25519);
            var service = NSec.Cryptography.PublicKey.Import(KeyAgreementAlgorithm.X25519, serviceKey.PublicKey, KeyBlobFormat.RawPublicKey);
            var header = Header(ProtocolConstants.SuiteX25519, serviceKey.KeyId, ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey));
            using var secret = KeyAgreementAlgorithm.X25519.Agree(ephemeral, service)
                ?? throw new CryptographicException("The service key is not a valid X25519 public key.");
            Span<byte> keyAndIv = stackalloc byte[KeyAndIvLength];
            KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(secret, [], Info(header), keyAndIv);
            return SealCore(deviceKey, header, keyAndIv, credentialId, citizenHandle, issuedAt, nonce);
        }

        if (!TryDecodePoint(serviceKey.PublicKey, out var point))
        {
            throw new ArgumentException("Suite 1 keys are 65-byte P-256 points.", nameof(serviceKey));
        }

        return Seal(deviceKey, serviceKey.KeyId, point, credentialId, citizenHandle, issuedAt, nonce);
    }

    /// <summary>Suite 1 with an explicit P-256 service key (and optionally a fixed ephemeral key, for test vectors).</summary>
    public static string Seal(
        ECDsa deviceKey,
        uint serviceKeyId,
        ECParameters servicePublicKey,
        byte[] credentialId,
        string citizenHandle,
        DateTimeOffset issuedAt,
        byte[]? nonce = null,
        ECDiffieHellman? ephemeral = null)
    {
        using var ownEphemeral = ephemeral is null ? ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256) : null;
        var eph = ephemeral ?? ownEphemeral!;
        var header = Header(ProtocolConstants.SuiteP256, serviceKeyId, EncodePoint(eph.ExportParameters(false).Q));
        using var servicePublic = ECDiffieHellman.Create(servicePublicKey);
        using var servicePublicKeyHandle = servicePublic.PublicKey;
        var secret = eph.DeriveRawSecretAgreement(servicePublicKeyHandle);
        Span<byte> keyAndIv = stackalloc byte[KeyAndIvLength];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, keyAndIv, salt: [], info: Info(header));
        CryptographicOperations.ZeroMemory(secret);
        return SealCore(deviceKey, header, keyAndIv, credentialId, citizenHandle, issuedAt, nonce);
    }

    /// <summary>
    /// Opens a presentation with the service's private key for its key id. Signature, freshness and single use are
    /// checked later by the citizen grain; this only proves the bytes were sealed to us and are well formed.
    /// </summary>
    public static PresentationError TryOpen(string? text, Func<uint, PresentationPrivateKey?> privateKeyFor, out PresentationPayload? payload)
    {
        payload = null;
        if (text is null || !text.StartsWith(ProtocolConstants.PresentationPrefix, StringComparison.Ordinal)
            || text.Length > 4096
            || !Base64Url.TryDecode(text[ProtocolConstants.PresentationPrefix.Length..], out var bytes)
            || bytes.Length < ProtocolConstants.HeaderLengthOf(ProtocolConstants.SuiteX25519) + 42 + 1 + ProtocolConstants.SignatureLength + ProtocolConstants.TagLength)
        {
            return PresentationError.Malformed;
        }

        if (bytes[0] != ProtocolConstants.PresentationVersion || bytes[1] is not (ProtocolConstants.SuiteP256 or ProtocolConstants.SuiteX25519))
        {
            return PresentationError.UnsupportedVersion;
        }

        var headerLength = ProtocolConstants.HeaderLengthOf(bytes[1]);
        if (bytes.Length < headerLength + 42 + 1 + ProtocolConstants.SignatureLength + ProtocolConstants.TagLength)
        {
            return PresentationError.Malformed;
        }

        var privateKey = privateKeyFor(BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(2, 4)));
        if (privateKey is null || privateKey.Suite != bytes[1])
        {
            return PresentationError.UnknownKey;
        }

        var header = bytes.AsSpan(0, headerLength);
        Span<byte> keyAndIv = stackalloc byte[KeyAndIvLength];
        if (!privateKey.TryDeriveKeyAndIv(header[6..], Info(header), keyAndIv))
        {
            return PresentationError.Malformed;
        }

        var cipherLength = bytes.Length - headerLength - ProtocolConstants.TagLength;
        var plaintext = new byte[cipherLength];
        try
        {
            using var gcm = new AesGcm(keyAndIv[..32], ProtocolConstants.TagLength);
            gcm.Decrypt(keyAndIv[32..], bytes.AsSpan(headerLength, cipherLength), bytes.AsSpan(headerLength + cipherLength, ProtocolConstants.TagLength), plaintext, header);
        }
        catch (AuthenticationTagMismatchException)
        {
            return PresentationError.DecryptionFailed;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyAndIv);
        }

        return ParsePlaintext(header, plaintext, out payload);
    }

    /// <summary>Suite 1 only, with a P-256 key per key id (tests and tools).</summary>
    public static PresentationError TryOpen(string? text, Func<uint, ECDiffieHellman?> privateKeyFor, out PresentationPayload? payload) =>
        TryOpen(text, id => privateKeyFor(id) is { } key ? new P256PresentationKey(key) : null, out payload);

    /// <summary>Encodes a P-256 public point as 65 bytes 0x04 ‖ X ‖ Y.</summary>
    public static byte[] EncodePoint(ECPoint q)
    {
        var bytes = new byte[65];
        bytes[0] = 0x04;
        q.X!.CopyTo(bytes, 1);
        q.Y!.CopyTo(bytes, 33);
        return bytes;
    }

    /// <summary>Decodes 65 bytes 0x04 ‖ X ‖ Y into P-256 public parameters (not yet validated).</summary>
    public static bool TryDecodePoint(ReadOnlySpan<byte> bytes, out ECParameters parameters)
    {
        parameters = default;
        if (bytes.Length != 65 || bytes[0] != 0x04)
        {
            return false;
        }

        parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = bytes.Slice(1, 32).ToArray(), Y = bytes.Slice(33, 32).ToArray() },
        };
        return true;
    }

    private static byte[] Header(byte suite, uint keyId, byte[] ephemeralPublicKey)
    {
        var header = new byte[6 + ephemeralPublicKey.Length];
        header[0] = ProtocolConstants.PresentationVersion;
        header[1] = suite;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2, 4), keyId);
        ephemeralPublicKey.CopyTo(header, 6);
        return header;
    }

    private static byte[] Info(ReadOnlySpan<byte> header)
    {
        var label = ProtocolConstants.HkdfInfo;
        var info = new byte[label.Length + header.Length];
        label.CopyTo(info);
        header.CopyTo(info.AsSpan(label.Length));
        return info;
    }

    private static string SealCore(ECDsa deviceKey, byte[] header, ReadOnlySpan<byte> keyAndIv, byte[] credentialId, string citizenHandle, DateTimeOffset issuedAt, byte[]? nonce)
    {
        ArgumentNullException.ThrowIfNull(deviceKey);
        if (credentialId.Length != ProtocolConstants.CredentialIdLength)
        {
            throw new ArgumentException("Credential ids have 16 bytes.", nameof(credentialId));
        }

        var handleBytes = Encoding.ASCII.GetBytes(citizenHandle);
        if (handleBytes.Length is 0 or > ProtocolConstants.MaxHandleLength)
        {
            throw new ArgumentException("Handle length out of range.", nameof(citizenHandle));
        }

        nonce ??= RandomNumberGenerator.GetBytes(ProtocolConstants.NonceLength);
        var unsignedLength = 1 + 16 + 8 + 16 + 1 + handleBytes.Length;
        var plaintext = new byte[unsignedLength + ProtocolConstants.SignatureLength];
        plaintext[0] = 0x01;
        credentialId.CopyTo(plaintext, 1);
        BinaryPrimitives.WriteInt64BigEndian(plaintext.AsSpan(17, 8), issuedAt.ToUnixTimeMilliseconds());
        nonce.CopyTo(plaintext, 25);
        plaintext[41] = (byte)handleBytes.Length;
        handleBytes.CopyTo(plaintext, 42);

        var signature = deviceKey.SignData(
            SignedBytes(header, plaintext.AsSpan(0, unsignedLength)),
            HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        signature.CopyTo(plaintext, unsignedLength);

        var output = new byte[header.Length + plaintext.Length + ProtocolConstants.TagLength];
        header.CopyTo(output, 0);
        using (var gcm = new AesGcm(keyAndIv[..32], ProtocolConstants.TagLength))
        {
            gcm.Encrypt(keyAndIv[32..], plaintext, output.AsSpan(header.Length, plaintext.Length), output.AsSpan(header.Length + plaintext.Length, ProtocolConstants.TagLength), header);
        }

        return ProtocolConstants.PresentationPrefix + Base64Url.Encode(output);
    }

    private static PresentationError ParsePlaintext(ReadOnlySpan<byte> header, byte[] plaintext, out PresentationPayload? payload)
    {
        payload = null;
        if (plaintext[0] != 0x01)
        {
            return PresentationError.UnsupportedVersion;
        }

        var handleLength = plaintext[41];
        var unsignedLength = 42 + handleLength;
        if (handleLength is 0 or > ProtocolConstants.MaxHandleLength || plaintext.Length != unsignedLength + ProtocolConstants.SignatureLength)
        {
            return PresentationError.Malformed;
        }

        var handle = Encoding.ASCII.GetString(plaintext, 42, handleLength);
        foreach (var c in handle)
        {
            if (c is < '!' or > '~')
            {
                return PresentationError.Malformed;
            }
        }

        var issuedAtMs = BinaryPrimitives.ReadInt64BigEndian(plaintext.AsSpan(17, 8));
        if (issuedAtMs is < 0 or > 253_402_300_799_999)
        {
            return PresentationError.Malformed;
        }

        payload = new PresentationPayload(
            plaintext.AsSpan(1, 16).ToArray(),
            DateTimeOffset.FromUnixTimeMilliseconds(issuedAtMs),
            plaintext.AsSpan(25, 16).ToArray(),
            handle,
            SignedBytes(header, plaintext.AsSpan(0, unsignedLength)),
            plaintext.AsSpan(unsignedLength, ProtocolConstants.SignatureLength).ToArray());
        return PresentationError.None;
    }

    private static byte[] SignedBytes(ReadOnlySpan<byte> header, ReadOnlySpan<byte> unsignedPlaintext)
    {
        var label = ProtocolConstants.PresentationSignatureLabel;
        var signed = new byte[label.Length + header.Length + unsignedPlaintext.Length];
        label.CopyTo(signed);
        header.CopyTo(signed.AsSpan(label.Length));
        unsignedPlaintext.CopyTo(signed.AsSpan(label.Length + header.Length));
        return signed;
    }
}
