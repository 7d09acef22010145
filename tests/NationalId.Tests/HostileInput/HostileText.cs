using System.Globalization;
using System.Text;
using CsCheck;

namespace NationalId.Tests.HostileInput;

/// <summary>Generated text of the kinds that broke things: NUL and other controls, lone surrogates, bidi controls, 10,000 characters.</summary>
public static class HostileText
{
    private static readonly Gen<char> Forbidden = Gen.OneOf(
        Gen.Char['\u0000', '\u001F'],
        Gen.Char['\u007F', '\u009F'],
        Gen.Char['\uD800', '\uDFFF'],
        Gen.Char['\u202A', '\u202E'],
        Gen.Char['\u2066', '\u2069']);

    private static readonly Gen<string> Fine = Gen.OneOf(
        Gen.String[Gen.Char.AlphaNumeric, 1, 30],
        Gen.Const("丢失的手机 lost phone"),
        Gen.Const("👵 found it"));

    /// <summary>Text that breaks the rule in one place, somewhere in otherwise fine text.</summary>
    public static readonly Gen<string> Breaking = Gen.OneOf(
        Gen.Select(Fine, Forbidden, Fine).Select(t => t.Item1 + t.Item2 + t.Item3),
        Gen.Select(Fine, Forbidden).Select(t => t.Item2 + t.Item1),
        Gen.Const("lost\u0000phone"),
        Gen.Const("\uD83D"), // the first half of an emoji, alone
        Gen.Char.AlphaNumeric.Select(c => new string(c, 10_000)));

    /// <summary>Text of any kind: breaking or fine.</summary>
    public static readonly Gen<string> Any = Gen.OneOf(Breaking, Fine, Gen.String);

    /// <summary>
    /// A JSON string literal that carries every character as it is, escaping all but printable ASCII as \uXXXX:
    /// a lone surrogate arrives as its escape, which no JSON writer would produce from a .NET string.
    /// </summary>
    public static string JsonLiteral(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is >= ' ' and <= '~' && c is not '"' and not '\\')
            {
                json.Append(c);
            }
            else
            {
                json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return json.Append('"').ToString();
    }
}
