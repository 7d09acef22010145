using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace NationalId.Protocol;

/// <summary>
/// Seals (on the phone) and opens (in the service) presentation QR codes. Layout, in docs/protocol.md:
/// header = version(1) ‖ suite(1) ‖ keyId(4, big-endian) ‖ ephemeral P-256 public key (65, SEC1 uncompressed);
/// body = AES-256-GCM(key, iv, plaintext, aad = header) ‖ tag(16), where key ‖ iv = HKDF-SHA256(ECDH secret,
/// salt = none, info = "NID presentation v1" ‖ header, 44 bytes);
/// plaintext = 0x01 ‖ credentialId(16) ‖ issuedAt(8, unix ms, big-endian) ‖ nonce(16) ‖ handleLength(1) ‖ handle
/// ‖ signature(64, ECDSA P-256 SHA-256, r ‖ s) over "NID-PRESENTATION-v1" ‖ header ‖ plaintext-before-signature.
/// </summary>
public static class PresentationCodec
{
    private const int KeyAndIvLength = 32 + 12;

    /// <summary>Makes a presentation as a wallet does: offline, with the device key and the service's public key.</summary>
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
        using var ownEphemeral = ephemeral is null ? ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256) : null;
        var eph = ephemeral ?? ownEphemeral!;

        var header = new byte[ProtocolConstants.HeaderLength];
        header[0] = ProtocolConstants.PresentationVersion;
        header[1] = ProtocolConstants.SuiteP256;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2, 4), serviceKeyId);
        WritePoint(eph.ExportParameters(false).Q, header.AsSpan(6, 65));

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

        using var servicePublic = ECDiffieHellman.Create(servicePublicKey);
        var secret = eph.DeriveRawSecretAgreement(servicePublic.PublicKey);
        Span<byte> keyAndIv = stackalloc byte[KeyAndIvLength];
        DeriveKeyAndIv(secret, header, keyAndIv);

        var output = new byte[header.Length + plaintext.Length + ProtocolConstants.TagLength];
        header.CopyTo(output, 0);
        using (var gcm = new AesGcm(keyAndIv[..32], ProtocolConstants.TagLength))
        {
            gcm.Encrypt(
                keyAndIv[32..],
                plaintext,
                output.AsSpan(header.Length, plaintext.Length),
                output.AsSpan(header.Length + plaintext.Length, ProtocolConstants.TagLength),
                header);
        }

        CryptographicOperations.ZeroMemory(secret);
        return ProtocolConstants.PresentationPrefix + Base64Url.Encode(output);
    }

    /// <summary>
    /// Opens a presentation with the service's private key for its key id. Signature, freshness and single use are
    /// checked later by the citizen grain; this only proves the bytes were sealed to us and are well formed.
    /// </summary>
    public static PresentationError TryOpen(
        string? text,
        Func<uint, ECDiffieHellman?> privateKeyFor,
        out PresentationPayload? payload)
    {
        payload = null;
        if (text is null || !text.StartsWith(ProtocolConstants.PresentationPrefix, StringComparison.Ordinal)
            || text.Length > 4096
            || !Base64Url.TryDecode(text[ProtocolConstants.PresentationPrefix.Length..], out var bytes))
        {
            return PresentationError.Malformed;
        }

        const int minimum = ProtocolConstants.HeaderLength + 42 + 1 + ProtocolConstants.SignatureLength + ProtocolConstants.TagLength;
        if (bytes.Length < minimum)
        {
            return PresentationError.Malformed;
        }

        if (bytes[0] != ProtocolConstants.PresentationVersion || bytes[1] != ProtocolConstants.SuiteP256)
        {
            return PresentationError.UnsupportedVersion;
        }

        var keyId = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(2, 4));
        var privateKey = privateKeyFor(keyId);
        if (privateKey is null)
        {
            return PresentationError.UnknownKey;
        }

        if (bytes[6] != 0x04)
        {
            return PresentationError.Malformed;
        }

        var header = bytes.AsSpan(0, ProtocolConstants.HeaderLength);
        byte[] secret;
        try
        {
            // Import validates that the point is on the curve: an invalid-curve point never reaches the agreement.
            using var ephemeral = ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = header.Slice(7, 32).ToArray(), Y = header.Slice(39, 32).ToArray() },
            });
            secret = privateKey.DeriveRawSecretAgreement(ephemeral.PublicKey);
        }
        catch (CryptographicException)
        {
            return PresentationError.Malformed;
        }

        Span<byte> keyAndIv = stackalloc byte[KeyAndIvLength];
        DeriveKeyAndIv(secret, header, keyAndIv);
        CryptographicOperations.ZeroMemory(secret);

        var cipherLength = bytes.Length - ProtocolConstants.HeaderLength - ProtocolConstants.TagLength;
        var plaintext = new byte[cipherLength];
        try
        {
            using var gcm = new AesGcm(keyAndIv[..32], ProtocolConstants.TagLength);
            gcm.Decrypt(
                keyAndIv[32..],
                bytes.AsSpan(ProtocolConstants.HeaderLength, cipherLength),
                bytes.AsSpan(ProtocolConstants.HeaderLength + cipherLength, ProtocolConstants.TagLength),
                plaintext,
                header);
        }
        catch (AuthenticationTagMismatchException)
        {
            return PresentationError.DecryptionFailed;
        }

        if (plaintext[0] != 0x01)
        {
            return PresentationError.UnsupportedVersion;
        }

        var handleLength = plaintext[41];
        var unsignedLength = 42 + handleLength;
        if (handleLength is 0 or > ProtocolConstants.MaxHandleLength
            || plaintext.Length != unsignedLength + ProtocolConstants.SignatureLength)
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

    /// <summary>Encodes a P-256 public point as 65 bytes 0x04 ‖ X ‖ Y.</summary>
    public static byte[] EncodePoint(ECPoint q)
    {
        var bytes = new byte[65];
        WritePoint(q, bytes);
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

    private static void WritePoint(ECPoint q, Span<byte> destination)
    {
        destination[0] = 0x04;
        q.X!.CopyTo(destination[1..33]);
        q.Y!.CopyTo(destination[33..65]);
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

    private static void DeriveKeyAndIv(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> header, Span<byte> output)
    {
        var info = ProtocolConstants.HkdfInfo;
        Span<byte> fullInfo = stackalloc byte[info.Length + header.Length];
        info.CopyTo(fullInfo);
        header.CopyTo(fullInfo[info.Length..]);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, output, salt: [], info: fullInfo);
    }
}
