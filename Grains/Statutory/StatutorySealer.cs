using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NationalId.Protocol;

namespace NationalId.Statutory;

/// <summary>The registration authority's public key (<c>NationalId:Authority:KeyId</c>, <c>:PublicKey</c>, X25519, base64).</summary>
public sealed class AuthorityOptions
{
    public uint KeyId { get; set; }

    public string PublicKey { get; set; } = string.Empty;
}

/// <summary>
/// Seals statutory registrations for scopes that require one (hotel check-in, rail boarding) to the authority's key.
/// Without a configured key nothing is sealed and the silo says so at start: a deployment must set it.
/// </summary>
public sealed class StatutorySealer : IDisposable
{
    private readonly byte[]? _publicKey;
    private readonly uint _keyId;

    public StatutorySealer(IOptions<NationalIdOptions> options, ILogger<StatutorySealer> logger)
    {
        var authority = options.Value.Authority;
        if (string.IsNullOrWhiteSpace(authority.PublicKey))
        {
            logger.LogWarning("No registration authority key (NationalId:Authority:PublicKey): statutory registrations are not kept");
            return;
        }

        const string Expected = "NationalId:Authority:PublicKey must be the registration authority's X25519 public key (32 bytes, base64)";
        byte[] key;
        try
        {
            key = Convert.FromBase64String(authority.PublicKey);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{Expected}: it is not base64.");
        }

        if (key.Length != 32)
        {
            throw new InvalidOperationException($"{Expected}: it has {key.Length} bytes.");
        }

        // One agreement now, so a key of low order (its shared secret is all zeros whatever our key: anyone could open
        // the seals) stops the start instead of failing inside a verification that already consumed its QR.
        try
        {
            using var probe = new StatutorySeal.Sealer(authority.KeyId, key);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"{Expected}: it is not a usable X25519 key (low order or malformed).");
        }

        (_publicKey, _keyId) = (key, authority.KeyId);
    }

    public bool Enabled => _publicKey is not null;

    public void Dispose()
    {
        lock (_gate)
        {
            _current?.Dispose();
            _current = null;
        }
    }

    /// <summary>How long one ephemeral key serves (records still differ by their salt); then a fresh one.</summary>
    private static readonly TimeSpan EphemeralLifetime = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private StatutorySeal.Sealer? _current;
    private long _currentSince;

    public byte[]? Seal(StatutorySeal.Registration registration)
    {
        if (_publicKey is null)
        {
            return null;
        }

        lock (_gate)
        {
            if (_current is null || System.Diagnostics.Stopwatch.GetElapsedTime(_currentSince) > EphemeralLifetime)
            {
                _current?.Dispose();
                _current = new StatutorySeal.Sealer(_keyId, _publicKey);
                _currentSince = System.Diagnostics.Stopwatch.GetTimestamp();
            }

            return _current.Seal(registration);
        }
    }
}
