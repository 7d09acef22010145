
namespace NationalId.Protocol;

/// <summary>
/// RFC 4648 §5 base64url without padding, the only text encoding of binary values on our wire. Decoding is exact: only
/// the 64 letters of the alphabet, no padding, no whitespace, and the canonical form only (unused trailing bits zero),
/// so one value has one text and a QR cannot be varied without changing its bytes.
/// </summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text) || text.Length > 64 * 1024)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_'))
            {
                return false;
            }
        }

        if (text.Length % 4 == 1)
        {
            return false;
        }

        try
        {
            var decoded = System.Buffers.Text.Base64Url.DecodeFromChars(text);
            if (!string.Equals(Encode(decoded), text, StringComparison.Ordinal))
            {
                return false; // non-zero trailing bits: another text of the same bytes
            }

            bytes = decoded;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
