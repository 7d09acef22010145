using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace NationalId.Protocol;

/// <summary>
/// What a certified capture SDK signs about one live face capture (docs/reference/protocol.md §4.1): which vendor's SDK made it,
/// when, the liveness it measured, the template's hash, the service's challenge for this activation and the public key
/// the phone is binding. The vendor's P-256 key signs these bytes; the service rebuilds them from the request and checks.
/// </summary>
public static class CaptureStatement
{
    public const string Label = "NID-CAPTURE-v1";

    /// <summary>Bytes of a service challenge (opaque to wallets and SDKs).</summary>
    public const int ChallengeLength = 32;

    public const int MaxVendorIdLength = 32;

    /// <summary>A vendor id: 2 to 32 of a-z, 0-9 and '-', not starting with '-'.</summary>
    public static bool IsVendorId(string? id)
    {
        if (id is null || id.Length is < 2 or > MaxVendorIdLength || id[0] == '-')
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>SHA-256 over the template's components as IEEE 754 binary32, big-endian, in order.</summary>
    public static byte[] TemplateHash(ReadOnlySpan<float> template)
    {
        var bytes = new byte[template.Length * 4];
        for (var i = 0; i < template.Length; i++)
        {
            BinaryPrimitives.WriteSingleBigEndian(bytes.AsSpan(i * 4), template[i]);
        }

        return SHA256.HashData(bytes);
    }

    /// <summary>The signed bytes: label, vendor id (length-prefixed), capture time, liveness, template hash, challenge, public key.</summary>
    public static byte[] Build(string vendorId, long capturedAtMs, double liveness, ReadOnlySpan<float> template, ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> publicKey)
    {
        if (!IsVendorId(vendorId) || challenge.Length != ChallengeLength || publicKey.Length != ProtocolConstants.PublicKeyLength || capturedAtMs < 0)
        {
            throw new ArgumentException("Not a well-formed capture statement.");
        }

        var label = Encoding.ASCII.GetBytes(Label);
        var statement = new byte[label.Length + 1 + vendorId.Length + 8 + 8 + 32 + ChallengeLength + ProtocolConstants.PublicKeyLength];
        var at = 0;
        label.CopyTo(statement, at);
        at += label.Length;
        statement[at++] = (byte)vendorId.Length;
        at += Encoding.ASCII.GetBytes(vendorId, statement.AsSpan(at));
        BinaryPrimitives.WriteInt64BigEndian(statement.AsSpan(at), capturedAtMs);
        at += 8;
        BinaryPrimitives.WriteDoubleBigEndian(statement.AsSpan(at), liveness);
        at += 8;
        TemplateHash(template).CopyTo(statement, at);
        at += 32;
        challenge.CopyTo(statement.AsSpan(at));
        at += ChallengeLength;
        publicKey.CopyTo(statement.AsSpan(at));
        return statement;
    }

    /// <summary>A vendor's signature: ECDSA P-256 over SHA-256 of the statement, r‖s (64 bytes).</summary>
    public static byte[] Sign(ECDsa vendorKey, byte[] statement) =>
        vendorKey.SignData(statement, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    public static bool Verify(ECDsa vendorKey, byte[] statement, byte[] signature) =>
        signature.Length == ProtocolConstants.SignatureLength
        && vendorKey.VerifyData(statement, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
