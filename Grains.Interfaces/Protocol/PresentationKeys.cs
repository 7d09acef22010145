using System.Security.Cryptography;
using NSec.Cryptography;

namespace NationalId.Protocol;

/// <summary>A service presentation public key as wallets receive it: id, suite, and the key bytes of that suite.</summary>
public sealed record ServicePresentationKey(uint KeyId, byte Suite, byte[] PublicKey);

/// <summary>
/// The service's side of a presentation suite: turns the ephemeral public key in a QR header into the AES key and
/// IV (HKDF-SHA256 over the agreed secret, empty salt, the given info). False when the ephemeral key is invalid.
/// </summary>
public abstract class PresentationPrivateKey
{
    public abstract byte Suite { get; }

    public abstract bool TryDeriveKeyAndIv(ReadOnlySpan<byte> ephemeralPublicKey, ReadOnlySpan<byte> info, Span<byte> keyAndIv);
}

/// <summary>Suite 1: P-256 ECDH. The ephemeral point is validated on import (no invalid-curve attacks).</summary>
public sealed class P256PresentationKey(ECDiffieHellman key) : PresentationPrivateKey
{
    public override byte Suite => ProtocolConstants.SuiteP256;

    public override bool TryDeriveKeyAndIv(ReadOnlySpan<byte> ephemeralPublicKey, ReadOnlySpan<byte> info, Span<byte> keyAndIv)
    {
        if (!PresentationCodec.TryDecodePoint(ephemeralPublicKey, out var parameters))
        {
            return false;
        }

        byte[] secret;
        try
        {
            using var ephemeral = ECDiffieHellman.Create(parameters);
            using var ephemeralPublic = ephemeral.PublicKey; // a new handle each time: dispose it, not the finalizer
            secret = key.DeriveRawSecretAgreement(ephemeralPublic);
        }
        catch (CryptographicException)
        {
            return false;
        }

        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, keyAndIv, salt: [], info: info);
        CryptographicOperations.ZeroMemory(secret);
        return true;
    }
}

/// <summary>
/// Suite 2: X25519 (libsodium through NSec), about three times cheaper for the service than P-256 in .NET. The
/// agreement fails on low-order points (an all-zero secret), which is then refused.
/// </summary>
public sealed class X25519PresentationKey(Key key) : PresentationPrivateKey
{
    public override byte Suite => ProtocolConstants.SuiteX25519;

    public static X25519PresentationKey FromRawPrivateKey(ReadOnlySpan<byte> raw) =>
        new(Key.Import(KeyAgreementAlgorithm.X25519, raw, KeyBlobFormat.RawPrivateKey));

    public byte[] PublicKey => key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    public override bool TryDeriveKeyAndIv(ReadOnlySpan<byte> ephemeralPublicKey, ReadOnlySpan<byte> info, Span<byte> keyAndIv)
    {
        if (!NSec.Cryptography.PublicKey.TryImport(KeyAgreementAlgorithm.X25519, ephemeralPublicKey, KeyBlobFormat.RawPublicKey, out var ephemeral)
            || ephemeral is null)
        {
            return false;
        }

        using var secret = KeyAgreementAlgorithm.X25519.Agree(key, ephemeral);
        if (secret is null)
        {
            return false;
        }

        KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(secret, [], info, keyAndIv);
        return true;
    }
}
