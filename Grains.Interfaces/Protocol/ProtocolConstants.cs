namespace NationalId.Protocol;

/// <summary>Fixed labels and sizes of the NationalId wire protocol (docs/reference/protocol.md).</summary>
public static class ProtocolConstants
{
    /// <summary>Text prefix of a presentation QR: "NID1." followed by base64url of the sealed bytes.</summary>
    public const string PresentationPrefix = "NID1.";

    public const byte PresentationVersion = 0x01;

    /// <summary>Suite 1: ephemeral P-256 ECDH, HKDF-SHA256, AES-256-GCM; device signature ECDSA P-256 SHA-256.</summary>
    public const byte SuiteP256 = 0x01;

    /// <summary>Suite 2: ephemeral X25519, HKDF-SHA256, AES-256-GCM; device signature ECDSA P-256 SHA-256.</summary>
    public const byte SuiteX25519 = 0x02;

    /// <summary>Header length of suite 1 (P-256 point of 65 bytes).</summary>
    public const int HeaderLength = 1 + 1 + 4 + 65;

    /// <summary>Header length for a suite: version, suite, key id and the ephemeral public key of that suite.</summary>
    public static int HeaderLengthOf(byte suite) => suite == SuiteX25519 ? 1 + 1 + 4 + 32 : HeaderLength;
    public const int CredentialIdLength = 16;
    public const int NonceLength = 16;
    public const int SignatureLength = 64;

    /// <summary>A device or vendor public key: an uncompressed P-256 point, 0x04 ‖ X ‖ Y.</summary>
    public const int PublicKeyLength = 65;
    public const int TagLength = 16;
    public const int MaxHandleLength = 64;

    /// <summary>Longest lifetime a presentation may claim (its issued-at plus this).</summary>
    public static readonly TimeSpan PresentationLifetime = TimeSpan.FromSeconds(60);

    public static ReadOnlySpan<byte> HkdfInfo => "NID presentation v1"u8;

    public static ReadOnlySpan<byte> PresentationSignatureLabel => "NID-PRESENTATION-v1"u8;
}
