using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NationalId.Protocol;

namespace NationalId.Cards;

/// <summary>
/// The static QR of a printed card: "NIDC1." ‖ base64url(version(1) ‖ iv(12) ‖ AES-256-GCM(cardId(16) ‖ handle)
/// ‖ tag(16)), aad = version. Only the service makes and reads it, so it is sealed with a symmetric key, derived
/// here from the handle secret (HKDF-SHA256, info "NID printed card v1"; in production a key of its own in the HSM,
/// docs/guides/counter.md). An RP reads nothing from it: not the citizen, not the province, not the card id. It is the same
/// bytes at every scan (it is printed), so it must never be the only factor: every use needs a live face.
/// </summary>
public sealed class CardSealer
{
    public const string Prefix = "NIDC1.";
    private const byte Version = 1;
    private const int IvLength = 12;
    private const int TagLength = 16;
    private const int CardIdLength = 16;
    private readonly byte[] _key;

    public CardSealer(IOptions<NationalIdOptions> options)
        : this(Convert.FromBase64String(options.Value.HandleSecret))
    {
    }

    public CardSealer(byte[] handleSecret) =>
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, handleSecret, 32, salt: [], info: Encoding.ASCII.GetBytes("NID printed card v1"));

    public static bool LooksLikeCard(string? text) => text is not null && text.StartsWith(Prefix, StringComparison.Ordinal);

    public string Seal(byte[] cardId, string citizenHandle)
    {
        var plaintext = new byte[CardIdLength + citizenHandle.Length];
        cardId.CopyTo(plaintext, 0);
        Encoding.ASCII.GetBytes(citizenHandle, plaintext.AsSpan(CardIdLength));
        var sealedBytes = new byte[1 + IvLength + plaintext.Length + TagLength];
        sealedBytes[0] = Version;
        var iv = sealedBytes.AsSpan(1, IvLength);
        RandomNumberGenerator.Fill(iv);
        using var aes = new AesGcm(_key, TagLength);
        aes.Encrypt(iv, plaintext, sealedBytes.AsSpan(1 + IvLength, plaintext.Length), sealedBytes.AsSpan(1 + IvLength + plaintext.Length), sealedBytes.AsSpan(0, 1));
        return Prefix + Base64Url.Encode(sealedBytes);
    }

    /// <summary>The card id and the citizen handle inside, or false when the text was not sealed by us.</summary>
    public bool TryOpen(string text, out byte[] cardId, out string citizenHandle)
    {
        cardId = [];
        citizenHandle = string.Empty;
        if (!LooksLikeCard(text) || text.Length > 512 || !Base64Url.TryDecode(text[Prefix.Length..], out var bytes)
            || bytes.Length <= 1 + IvLength + CardIdLength + TagLength || bytes[0] != Version)
        {
            return false;
        }

        var cipherLength = bytes.Length - 1 - IvLength - TagLength;
        var plaintext = new byte[cipherLength];
        try
        {
            using var aes = new AesGcm(_key, TagLength);
            aes.Decrypt(bytes.AsSpan(1, IvLength), bytes.AsSpan(1 + IvLength, cipherLength), bytes.AsSpan(1 + IvLength + cipherLength), plaintext, bytes.AsSpan(0, 1));
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        cardId = plaintext[..CardIdLength];
        citizenHandle = Encoding.ASCII.GetString(plaintext, CardIdLength, plaintext.Length - CardIdLength);
        return true;
    }
}
