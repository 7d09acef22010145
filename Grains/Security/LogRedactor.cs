using System.Text.RegularExpressions;

namespace NationalId.Security;

/// <summary>
/// The last line of defence for logs: our own code logs no personal data, but libraries log what they see (Orleans
/// names grains by key at debug level, so citizen handles would appear). Every log line goes through here before it
/// is written: citizen handles, resident ID numbers, pseudonyms and QR texts are replaced. Names and faces are never
/// handed to a logger at all (they live only in grain state and answers), which the log test checks.
/// </summary>
public static partial class LogRedactor
{
    public static string Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = Handle().Replace(text, "c$1-[redacted]");
        text = IdNumber().Replace(text, "[id-number]");
        text = Pseudonym().Replace(text, "p-[redacted]");
        return Qr().Replace(text, "$1.[qr]");
    }

    [GeneratedRegex(@"\bc(\d{2})-[a-z2-7]{32}\b")]
    private static partial Regex Handle();

    [GeneratedRegex(@"(?<![0-9])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")]
    private static partial Regex IdNumber();

    [GeneratedRegex(@"\bp-[a-z2-7]{32}\b")]
    private static partial Regex Pseudonym();

    [GeneratedRegex(@"\b(NIDC?1)\.[A-Za-z0-9_-]{8,}")]
    private static partial Regex Qr();
}
