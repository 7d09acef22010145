using System.Text.Json;

namespace NationalId.Client.Wallet;

/// <summary>
/// What the simulated phone keeps: its device private key (a real phone keeps it in its secure element), and after
/// activation the credential and the service's presentation key.
/// </summary>
public sealed class WalletFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>PKCS#8 P-256 private key, base64.</summary>
    public string PrivateKey { get; set; } = string.Empty;

    public string? CredentialId { get; set; }

    public string? CitizenHandle { get; set; }

    public string? CredentialReference { get; set; }

    public uint? PresentationKeyId { get; set; }

    /// <summary>1: P-256 (base64url SEC1 uncompressed point); 2: X25519 (base64url 32 bytes).</summary>
    public int PresentationSuite { get; set; } = 1;

    public string? PresentationPublicKey { get; set; }

    public string? Assurance { get; set; }

    public static WalletFile Load(string path) =>
        JsonSerializer.Deserialize<WalletFile>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is not a wallet file.");

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
}
