namespace NationalId.Api;

/// <summary>
/// The one rule for text people type (reasons, device labels, names, legal names) and, with a longer limit, for every
/// other string of a request: valid Unicode (no unpaired surrogate), no C0 or C1 control character (U+0000–U+001F,
/// U+007F–U+009F: a NUL cannot even be stored by PostgreSQL), no bidirectional embedding, override or isolate
/// control (U+202A–U+202E, U+2066–U+2069: they make a reason read differently on an officer's screen than it is
/// stored), and a maximum length in UTF-16 code units. Pure, so the gateway and the grains apply the same rule.
/// </summary>
public static class FreeText
{
    /// <summary>Longest string any request member may carry (free text has shorter limits of its own).</summary>
    public const int MaxAnyString = 4096;

    public const int MaxReason = 500;

    public const int MaxDeviceLabel = 64;

    public const int MaxName = 100;

    public const int MaxLegalName = 200;

    /// <summary>Null when the text follows the rule; otherwise what is wrong with it, in words for the caller.</summary>
    public static string? Problem(ReadOnlySpan<char> text, int maxLength)
    {
        if (text.Length > maxLength)
        {
            return $"is longer than {maxLength} characters";
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c <= '\u001F' || c is >= '\u007F' and <= '\u009F')
            {
                return "contains a control character";
            }

            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return "contains a bidirectional control character";
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }

                return "contains an unpaired surrogate";
            }

            if (char.IsLowSurrogate(c))
            {
                return "contains an unpaired surrogate";
            }
        }

        return null;
    }

    public static bool IsValid(ReadOnlySpan<char> text, int maxLength) => Problem(text, maxLength) is null;
}
