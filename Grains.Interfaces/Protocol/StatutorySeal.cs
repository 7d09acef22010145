using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NSec.Cryptography;

namespace NationalId.Protocol;

/// <summary>
/// A statutory registration (who checked in at which hotel, who boarded which train: ID number, name, time, place),
/// sealed to the registration authority's X25519 public key so that only the authority can read it; the service
/// stores it, the RP never sees it. Layout: header = version 1 (1) ‖ authority key id (4, big-endian) ‖ ephemeral X25519
/// public key (32) ‖ salt (16, random per record); then AES-256-GCM(key, iv, JSON, aad = header) ‖ tag (16), where
/// key ‖ iv = HKDF-SHA256(X25519(eph, authority), salt, info "NID statutory v1" ‖ header, 44 bytes). A sealer may keep
/// one ephemeral key for a while (<see cref="Sealer"/>): the salt still gives every record its own key and iv, and the
/// X25519 work is done once per ephemeral key instead of once per record (docs/reference/protocol.md §12).
/// </summary>
public static class StatutorySeal
{
    private const byte Version = 1;
    private const int SaltLength = 16;
    private const int HeaderLength = 1 + 4 + 32 + SaltLength;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Registration(string IdNumber, string Name, DateTimeOffset At, string RelyingPartyId, string Place, string Scope, Guid VerificationId);

    public static byte[] Seal(Registration registration, uint authorityKeyId, ReadOnlySpan<byte> authorityPublicKey)
    {
        using var sealer = new Sealer(authorityKeyId, authorityPublicKey.ToArray());
        return sealer.Seal(registration);
    }

    /// <summary>One ephemeral key and its agreement with the authority, reused for many records (each with its own salt).</summary>
    public sealed class Sealer : IDisposable
    {
        private readonly Key _ephemeral;
        private readonly SharedSecret _secret;
        private readonly byte[] _headerStart = new byte[1 + 4 + 32];

        public Sealer(uint authorityKeyId, byte[] authorityPublicKey)
        {
            var authority = NSec.Cryptography.PublicKey.Import(KeyAgreementAlgorithm.X25519, authorityPublicKey, KeyBlobFormat.RawPublicKey);
            _ephemeral = Key.Create(KeyAgreementAlgorithm.X25519);
            _secret = KeyAgreementAlgorithm.X25519.Agree(_ephemeral, authority)
                ?? throw new CryptographicException("The authority key is not a valid X25519 public key.");
            _headerStart[0] = Version;
            BinaryPrimitives.WriteUInt32BigEndian(_headerStart.AsSpan(1), authorityKeyId);
            _ephemeral.PublicKey.Export(KeyBlobFormat.RawPublicKey).CopyTo(_headerStart, 5);
        }

        public byte[] Seal(Registration registration)
        {
            var header = new byte[HeaderLength];
            _headerStart.CopyTo(header, 0);
            RandomNumberGenerator.Fill(header.AsSpan(_headerStart.Length, SaltLength));
            Span<byte> keyAndIv = stackalloc byte[44];
            KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(_secret, header.AsSpan(_headerStart.Length, SaltLength), Info(header), keyAndIv);
            return Encrypt(registration, header, keyAndIv);
        }

        public void Dispose()
        {
            _secret.Dispose();
            _ephemeral.Dispose();
        }
    }

    private static byte[] Encrypt(Registration registration, byte[] header, Span<byte> keyAndIv)
    {
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(registration, Json);
        var output = new byte[HeaderLength + plaintext.Length + 16];
        header.CopyTo(output, 0);
        using (var aes = new AesGcm(keyAndIv[..32], 16))
        {
            aes.Encrypt(keyAndIv[32..], plaintext, output.AsSpan(HeaderLength, plaintext.Length), output.AsSpan(HeaderLength + plaintext.Length), header);
        }

        CryptographicOperations.ZeroMemory(plaintext);
        CryptographicOperations.ZeroMemory(keyAndIv);
        return output;
    }

    /// <summary>The authority's side: opens a sealed registration with its private key, or null when it cannot.</summary>
    public static Registration? Open(byte[] sealedBytes, Func<uint, Key?> authorityKey)
    {
        if (sealedBytes.Length <= HeaderLength + 16 || sealedBytes[0] != Version
            || authorityKey(BinaryPrimitives.ReadUInt32BigEndian(sealedBytes.AsSpan(1))) is not { } key
            || !NSec.Cryptography.PublicKey.TryImport(KeyAgreementAlgorithm.X25519, sealedBytes.AsSpan(5, 32), KeyBlobFormat.RawPublicKey, out var ephemeral))
        {
            return null;
        }

        using var secret = KeyAgreementAlgorithm.X25519.Agree(key, ephemeral!);
        if (secret is null)
        {
            return null;
        }

        Span<byte> keyAndIv = stackalloc byte[44];
        KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(secret, sealedBytes.AsSpan(HeaderLength - SaltLength, SaltLength), Info(sealedBytes.AsSpan(0, HeaderLength)), keyAndIv);
        var length = sealedBytes.Length - HeaderLength - 16;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(keyAndIv[..32], 16);
            aes.Decrypt(keyAndIv[32..], sealedBytes.AsSpan(HeaderLength, length), sealedBytes.AsSpan(HeaderLength + length), plaintext, sealedBytes.AsSpan(0, HeaderLength));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return JsonSerializer.Deserialize<Registration>(plaintext, Json);
    }

    private static byte[] Info(ReadOnlySpan<byte> header) => [.. Encoding.ASCII.GetBytes("NID statutory v1"), .. header];
}
