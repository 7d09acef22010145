using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using NationalId.Protocol;

namespace NationalId.Verification;

/// <summary>
/// The service's presentation private keys by key id. Wallets encrypt to the key they last fetched
/// (GET /v1/wallet/presentation-key, also returned at activation); after a rotation an old key stays configured until
/// wallets have had time to fetch the new one (their refresh interval plus a QR's minute), then it is removed.
/// </summary>
public sealed class PresentationKeyRing : IDisposable
{
    private readonly Dictionary<uint, byte[]> _pkcs8 = [];

    // Key objects are not documented as safe for concurrent use: each thread gets its own instances.
    private readonly ThreadLocal<Dictionary<uint, ECDiffieHellman>> _perThread;

    public PresentationKeyRing(IOptions<NationalIdOptions> options)
    {
        var o = options.Value;
        foreach (var k in o.PresentationKeys)
        {
            _pkcs8[k.Id] = Convert.FromBase64String(k.PrivateKey);
        }

        if (!_pkcs8.ContainsKey(o.CurrentPresentationKeyId))
        {
            throw new InvalidOperationException("NationalId:CurrentPresentationKeyId names no configured presentation key.");
        }

        _perThread = new ThreadLocal<Dictionary<uint, ECDiffieHellman>>(() => [], trackAllValues: true);
        CurrentKeyId = o.CurrentPresentationKeyId;
        CurrentPublicKey = PresentationCodec.EncodePoint(Find(CurrentKeyId)!.ExportParameters(false).Q);
    }

    public uint CurrentKeyId { get; }

    /// <summary>SEC1 uncompressed point of the current key, as wallets receive it.</summary>
    public byte[] CurrentPublicKey { get; }

    public ECDiffieHellman? Find(uint keyId)
    {
        var keys = _perThread.Value!;
        if (keys.TryGetValue(keyId, out var key))
        {
            return key;
        }

        if (!_pkcs8.TryGetValue(keyId, out var pkcs8))
        {
            return null;
        }

        key = ECDiffieHellman.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        keys[keyId] = key;
        return key;
    }

    /// <summary>Makes a new key in the configuration's format (run.sh and tests use it).</summary>
    public static string NewPrivateKey()
    {
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
    }

    public void Dispose()
    {
        foreach (var keys in _perThread.Values)
        {
            foreach (var key in keys.Values)
            {
                key.Dispose();
            }
        }

        _perThread.Dispose();
    }
}
