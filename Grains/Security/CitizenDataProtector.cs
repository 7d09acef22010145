using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NationalId.Citizens;

namespace NationalId.Security;

/// <summary>
/// Encryption at rest of a citizen's personal data in grain state (ID number, name, sex, birth date, residence, face
/// template, pseudonym secret). Each citizen has a 256-bit data key; the personal data is sealed with it
/// (AES-256-GCM), and the data key is wrapped (AES-256-GCM) by a master key named by its id. Rotation without
/// downtime: deploy the new master key next to the old ones, make it current; every write re-wraps with the current
/// key, old ids stay readable, and <c>POST /v1/operator/maintenance/rewrap</c> (or the background pass) re-writes
/// citizens still under an old id, after which the old key can be retired. Keys come from configuration
/// (<c>NationalId:MasterKeys:n:Id|Key</c>, a secret store in production; docs/decisions/security.md for the HSM/KMS path).
/// </summary>
public sealed class CitizenDataProtector
{
    private const int KeyLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private readonly Dictionary<uint, byte[]> _masterKeys;

    public CitizenDataProtector(IOptions<NationalIdOptions> options)
        : this(options.Value.MasterKeys.Select(k => (k.Id, k.Key)), options.Value.CurrentMasterKeyId)
    {
    }

    public CitizenDataProtector(IEnumerable<(uint Id, string Base64Key)> masterKeys, uint currentKeyId)
    {
        _masterKeys = [];
        foreach (var (id, base64) in masterKeys)
        {
            byte[] key;
            try
            {
                key = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"Master key {id} is not base64.");
            }

            if (key.Length != KeyLength)
            {
                throw new InvalidOperationException($"Master key {id} must be {KeyLength} bytes.");
            }

            if (!_masterKeys.TryAdd(id, key))
            {
                throw new InvalidOperationException($"Master key id {id} is configured twice.");
            }
        }

        if (!_masterKeys.ContainsKey(currentKeyId))
        {
            throw new InvalidOperationException(
                $"NationalId:CurrentMasterKeyId ({currentKeyId}) names no configured master key: set NationalId:MasterKeys:n:Id and :Key.");
        }

        CurrentKeyId = currentKeyId;
    }

    public uint CurrentKeyId { get; }

    /// <summary>Seals the citizen's personal data under their data key (made on first use), wrapped by the current master key.</summary>
    public SealedPersonal Seal(CitizenState citizen)
    {
        var keys = citizen.Sealing ??= new DataKeyInMemory(RandomNumberGenerator.GetBytes(KeyLength));

        // The data key is wrapped once per master key, not at every write: a master key then seals each data key
        // once, far below AES-GCM's limit for random nonces under one key, whatever the write rate.
        if (keys.Wrapped is null || keys.WrappedUnder != CurrentKeyId)
        {
            keys.Wrapped = Encrypt(_masterKeys[CurrentKeyId], keys.Key, WrapAad(CurrentKeyId));
            keys.WrappedUnder = CurrentKeyId;
        }

        var plaintext = JsonSerializer.SerializeToUtf8Bytes(PersonalData.Of(citizen), Json);
        try
        {
            return new SealedPersonal(CurrentKeyId, keys.Wrapped, Encrypt(keys.Key, plaintext, DataAad(citizen.Handle)), FormatVersion);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Opens sealed personal data into the state (and keeps the data key in memory for the next write).</summary>
    public void Open(CitizenState citizen, SealedPersonal sealedData)
    {
        if (sealedData.V != FormatVersion)
        {
            // Version 1 was not bound to the citizen: its sealed data could be copied into another citizen's row.
            throw new CryptographicException($"Citizen data is sealed in format {sealedData.V}; only format {FormatVersion} is read.");
        }

        if (!_masterKeys.TryGetValue(sealedData.Kid, out var master))
        {
            throw new CryptographicException($"Citizen data is sealed under master key {sealedData.Kid}, which this silo does not have.");
        }

        var dataKey = Decrypt(master, sealedData.Key, WrapAad(sealedData.Kid));
        var plaintext = Decrypt(dataKey, sealedData.Data, DataAad(citizen.Handle));
        try
        {
            JsonSerializer.Deserialize<PersonalData>(plaintext, Json)!.ApplyTo(citizen);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }

        citizen.Sealing = new DataKeyInMemory(dataKey) { WrappedUnder = sealedData.Kid, Wrapped = sealedData.Key };
    }

    /// <summary>The master key id the citizen's data key is wrapped under in memory (null: never read nor sealed).</summary>
    public static uint? WrappedUnder(CitizenState citizen) => citizen.Sealing?.WrappedUnder;

    /// <summary>Format 2: the personal data is bound to the citizen's handle (its associated data).</summary>
    public const int FormatVersion = 2;

    /// <summary>
    /// "NID-PERSONAL-v2" ‖ handle: sealed data opens only in the state of the citizen it was sealed for. The handle sits
    /// in clear in the state; a row copied to another key keeps its handle, and the grain refuses state whose handle is
    /// not its own key (<see cref="Citizens.CitizenGrain"/>, activation).
    /// </summary>
    /// <summary>
    /// Seals a small service secret (an officer's TOTP secret) directly under the current master key, bound to what it
    /// is for (<paramref name="purpose"/>, e.g. <c>officer-totp|3F7K2M9Q</c>): a row copied to another purpose fails to open.
    /// </summary>
    public (uint KeyId, byte[] Sealed) SealSecret(ReadOnlySpan<byte> secret, string purpose) =>
        (CurrentKeyId, Encrypt(_masterKeys[CurrentKeyId], secret, SecretAad(purpose)));

    /// <summary>Opens what <see cref="SealSecret"/> sealed; a missing key, another purpose or changed bytes throw.</summary>
    public byte[] OpenSecret(uint keyId, byte[] sealedSecret, string purpose) =>
        _masterKeys.TryGetValue(keyId, out var master)
            ? Decrypt(master, sealedSecret, SecretAad(purpose))
            : throw new CryptographicException($"The secret is sealed under master key {keyId}, which is not configured.");

    private static byte[] SecretAad(string purpose) => Encoding.UTF8.GetBytes("NID-SECRET-v1|" + purpose);

    private static byte[] DataAad(string handle) => Encoding.UTF8.GetBytes("NID-PERSONAL-v2|" + handle);

    private static byte[] WrapAad(uint keyId)
    {
        var aad = new byte[12];
        Encoding.ASCII.GetBytes("NID-DEK-", aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad.AsSpan(8), keyId);
        return aad;
    }

    /// <summary>nonce(12) ‖ ciphertext ‖ tag(16).</summary>
    private static byte[] Encrypt(byte[] key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> aad)
    {
        var output = new byte[NonceLength + plaintext.Length + TagLength];
        var nonce = output.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagLength);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceLength, plaintext.Length), output.AsSpan(NonceLength + plaintext.Length), aad);
        return output;
    }

    private static byte[] Decrypt(byte[] key, byte[] sealedBytes, ReadOnlySpan<byte> aad)
    {
        if (sealedBytes.Length < NonceLength + TagLength)
        {
            throw new CryptographicException("Sealed citizen data is truncated.");
        }

        var length = sealedBytes.Length - NonceLength - TagLength;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, TagLength);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceLength), sealedBytes.AsSpan(NonceLength, length), sealedBytes.AsSpan(NonceLength + length), plaintext, aad);
        return plaintext;
    }
}

/// <summary>
/// A citizen's data key while its grain is active: the key itself, and the same key as wrapped under a master key
/// (reused while that master key is current). Held beside the state object, never in a persisted field.
/// </summary>
public sealed class DataKeyInMemory(byte[] key)
{
    public byte[] Key { get; } = key;

    public uint? WrappedUnder { get; set; }

    public byte[]? Wrapped { get; set; }
}

/// <summary>How personal data sits in stored state: the master key id, the wrapped data key, the sealed data.</summary>
public sealed record SealedPersonal(uint Kid, byte[] Key, byte[] Data, int V = 0);

/// <summary>The personal fields of <see cref="CitizenState"/>, as they are sealed (the same names, so rows written before encryption read too).</summary>
public sealed class PersonalData
{
    public string IdNumber { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Sex { get; set; } = string.Empty;

    public string BirthDate { get; set; } = string.Empty;

    public string? ResidenceProvince { get; set; }

    public byte[] FaceTemplate { get; set; } = [];

    public byte[] PseudonymSecret { get; set; } = [];

    public static PersonalData Of(CitizenState c) => new()
    {
        IdNumber = c.IdNumber,
        Name = c.Name,
        Sex = c.Sex,
        BirthDate = c.BirthDate,
        ResidenceProvince = c.ResidenceProvince,
        FaceTemplate = c.FaceTemplate,
        PseudonymSecret = c.PseudonymSecret,
    };

    public void ApplyTo(CitizenState c)
    {
        c.IdNumber = IdNumber;
        c.Name = Name;
        c.Sex = Sex;
        c.BirthDate = BirthDate;
        c.ResidenceProvince = ResidenceProvince;
        c.FaceTemplate = FaceTemplate;
        c.PseudonymSecret = PseudonymSecret;
    }
}
