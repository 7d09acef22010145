using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using NationalId.Protocol;

namespace NationalId.Verification;

/// <summary>
/// The service's presentation private keys by key id, of either suite (1: P-256, 2: X25519). Wallets encrypt to the
/// key they last fetched (GET /v1/wallet/presentation-key, also returned at activation); after a rotation an old key
/// stays configured until wallets have had time to fetch the new one (their refresh interval plus a QR's minute),
/// then it is removed.
/// </summary>
public sealed class PresentationKeyRing : IDisposable
{
    private readonly Dictionary<uint, byte[]> _p256 = [];
    private readonly Dictionary<uint, X25519PresentationKey> _x25519 = [];

    // .NET key objects are not documented as safe for concurrent use: each thread gets its own P-256 instances.
    // libsodium's X25519 is reentrant, so those keys are shared.
    private readonly ThreadLocal<Dictionary<uint, P256PresentationKey>> _perThread;
    private readonly List<ECDiffieHellman> _created = [];

    public PresentationKeyRing(IOptions<NationalIdOptions> options)
    {
        var o = options.Value;
        foreach (var k in o.PresentationKeys)
        {
            var bytes = Convert.FromBase64String(k.PrivateKey);
            if (_p256.ContainsKey(k.Id) || _x25519.ContainsKey(k.Id))
            {
                throw new InvalidOperationException($"Presentation key id {k.Id} is configured twice: a key id names one key of one suite.");
            }

            switch (k.Suite)
            {
                case ProtocolConstants.SuiteP256:
                    using (var check = ECDiffieHellman.Create())
                    {
                        check.ImportPkcs8PrivateKey(bytes, out _); // fail at start, not on the first QR
                    }

                    _p256[k.Id] = bytes;
                    break;
                case ProtocolConstants.SuiteX25519:
                    _x25519[k.Id] = X25519PresentationKey.FromRawPrivateKey(RawX25519(bytes, k.Id));
                    break;
                default:
                    throw new InvalidOperationException($"Presentation key {k.Id} names unknown suite {k.Suite}.");
            }
        }

        _perThread = new ThreadLocal<Dictionary<uint, P256PresentationKey>>(() => [], trackAllValues: false);
        CurrentKeyId = o.CurrentPresentationKeyId;
        Current = _x25519.TryGetValue(CurrentKeyId, out var x)
            ? new ServicePresentationKey(CurrentKeyId, ProtocolConstants.SuiteX25519, x.PublicKey)
            : _p256.TryGetValue(CurrentKeyId, out var p)
                ? new ServicePresentationKey(CurrentKeyId, ProtocolConstants.SuiteP256, P256PublicKey(p))
                : throw new InvalidOperationException("NationalId:CurrentPresentationKeyId names no configured presentation key.");
    }

    public uint CurrentKeyId { get; }

    /// <summary>The key wallets are told to encrypt to.</summary>
    public ServicePresentationKey Current { get; }

    public PresentationPrivateKey? Find(uint keyId)
    {
        if (_x25519.TryGetValue(keyId, out var x))
        {
            return x;
        }

        var keys = _perThread.Value!;
        if (keys.TryGetValue(keyId, out var key))
        {
            return key;
        }

        if (!_p256.TryGetValue(keyId, out var pkcs8))
        {
            return null;
        }

        var ecdh = ECDiffieHellman.Create();
        ecdh.ImportPkcs8PrivateKey(pkcs8, out _);
        lock (_created)
        {
            _created.Add(ecdh);
        }

        key = new P256PresentationKey(ecdh);
        keys[keyId] = key;
        return key;
    }

    /// <summary>Makes a new suite-1 key in the configuration's format (PKCS#8, base64).</summary>
    public static string NewP256PrivateKey()
    {
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
    }

    /// <summary>Makes a new suite-2 key in the configuration's format (32 raw bytes, base64).</summary>
    public static string NewX25519PrivateKey()
    {
        using var key = NSec.Cryptography.Key.Create(NSec.Cryptography.KeyAgreementAlgorithm.X25519,
            new NSec.Cryptography.KeyCreationParameters { ExportPolicy = NSec.Cryptography.KeyExportPolicies.AllowPlaintextExport });
        return Convert.ToBase64String(key.Export(NSec.Cryptography.KeyBlobFormat.RawPrivateKey));
    }

    public void Dispose()
    {
        lock (_created)
        {
            _created.ForEach(k => k.Dispose());
        }

        _perThread.Dispose();
    }

    /// <summary>32 raw bytes, or the 48-byte PKCS#8 form OpenSSL writes for X25519 (fixed prefix, then the key).</summary>
    private static byte[] RawX25519(byte[] bytes, uint id)
    {
        ReadOnlySpan<byte> pkcs8Prefix = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20];
        if (bytes.Length == 32)
        {
            return bytes;
        }

        if (bytes.Length == 48 && bytes.AsSpan(0, 16).SequenceEqual(pkcs8Prefix))
        {
            return bytes[16..];
        }

        throw new InvalidOperationException($"Presentation key {id}: an X25519 private key is 32 raw bytes or its 48-byte PKCS#8 form.");
    }

    private static byte[] P256PublicKey(byte[] pkcs8)
    {
        using var key = ECDiffieHellman.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        return PresentationCodec.EncodePoint(key.ExportParameters(false).Q);
    }
}
