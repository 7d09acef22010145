namespace NationalId.Security;

/// <summary>Lower-case RFC 4648 base32 without padding: identifiers that are never all-hex and safe in URLs.</summary>
public static class Base32
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Encode(ReadOnlySpan<byte> data, int maxChars = int.MaxValue)
    {
        var length = Math.Min((data.Length * 8 + 4) / 5, maxChars);
        return string.Create(length, data.ToArray(), static (chars, bytes) =>
        {
            int buffer = 0, bits = 0, index = 0, i = 0;
            while (index < chars.Length)
            {
                if (bits < 5)
                {
                    buffer = (buffer << 8) | (i < bytes.Length ? bytes[i] : 0);
                    i++;
                    bits += 8;
                }

                chars[index++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        });
    }
}
