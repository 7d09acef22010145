using System.Text;
using CsCheck;
using Microsoft.AspNetCore.Http.HttpResults;
using NationalId.Api;
using NationalId.Protocol;
using NationalId.Silo.Apis;

namespace NationalId.Tests.HostileInput;

/// <summary>The one text rule, the JSON body reader and the base64url decoder, on generated input.</summary>
public class TextRuleTests
{
    [Fact]
    public void Text_breaking_the_rule_is_always_refused()
    {
        HostileText.Breaking.Sample(text => FreeText.Problem(text, 500) is not null, iter: 20_000);
    }

    [Fact]
    public void Letters_of_any_script_and_paired_surrogates_are_accepted()
    {
        Gen.String[Gen.Char.AlphaNumeric, 0, 100].Sample(text => FreeText.IsValid(text, 100), iter: 5_000);
        Assert.True(FreeText.IsValid("张伟 在 广州 👵🏻 Ünïcödé", 100));
    }

    [Fact]
    public void The_rule_is_the_same_whatever_the_string()
    {
        // An independent statement of the rule, checked against ours on arbitrary strings.
        static bool Expected(string s)
        {
            var runes = new List<Rune>();
            for (var i = 0; i < s.Length; i++)
            {
                if (!Rune.TryGetRuneAt(s, i, out var rune))
                {
                    return false;
                }

                runes.Add(rune);
                i += rune.Utf16SequenceLength - 1;
            }

            return s.Length <= 64 && runes.All(r => !(r.Value <= 0x1F || r.Value is >= 0x7F and <= 0x9F || r.Value is >= 0x202A and <= 0x202E || r.Value is >= 0x2066 and <= 0x2069));
        }

        HostileText.Any.Sample(text => FreeText.IsValid(text, 64) == Expected(text), iter: 20_000);
    }

    private sealed record Probe(string? Reason, string? Label);

    private static string? Code(ProblemHttpResult? problem) => problem?.ProblemDetails.Extensions.TryGetValue("code", out var code) == true ? code as string : null;

    [Fact]
    public void Every_string_member_of_a_body_breaking_the_rule_is_invalid_text_naming_the_member()
    {
        HostileText.Breaking.Sample(text =>
        {
            var body = Encoding.UTF8.GetBytes($"{{\"label\":\"ok\",\"reason\":{HostileText.JsonLiteral(text)}}}");
            var (value, problem) = JsonBody.Parse<Probe>(body, ApiJson.Options);
            return value is null && Code(problem) == "invalid_text" && problem!.ProblemDetails.Detail!.Contains("'reason'", StringComparison.Ordinal);
        }, iter: 5_000);
    }

    [Fact]
    public void A_body_that_is_not_utf8_is_refused_even_in_a_member_the_request_ignores()
    {
        var body = Encoding.UTF8.GetBytes("{\"reason\":\"fine\",\"ignored\":\"__\"}");
        body[^4] = 0xC3; // a lead byte without its continuation
        body[^3] = 0x28;
        var (value, problem) = JsonBody.Parse<Probe>(body, ApiJson.Options);
        Assert.Null(value);
        Assert.Equal("invalid_encoding", Code(problem));

        Gen.Byte.Array[1, 40].Where(b => !System.Text.Unicode.Utf8.IsValid(b)).Sample(garbage =>
            Code(JsonBody.Parse<Probe>([.. "{\"reason\":\""u8, .. garbage, .. "\"}"u8], ApiJson.Options).Error) == "invalid_encoding", iter: 2_000);
    }

    [Fact]
    public void Base64url_is_decoded_exactly_without_padding_whitespace_or_a_second_spelling()
    {
        Gen.Byte.Array[1, 80].Sample(bytes =>
        {
            var text = Base64Url.Encode(bytes);
            var padded = text + new string('=', (4 - (text.Length % 4)) % 4);
            return Base64Url.TryDecode(text, out var back) && back.AsSpan().SequenceEqual(bytes)
                && (padded == text || !Base64Url.TryDecode(padded, out _))
                && !Base64Url.TryDecode(text + " ", out _)
                && !Base64Url.TryDecode(text.Replace('-', '+').Replace('_', '/') + (text.Contains('-') || text.Contains('_') ? string.Empty : "+"), out _);
        }, iter: 10_000);

        // "AB" and "AC" both decode to 0x00 in a lenient decoder; only the canonical spelling is ours.
        Assert.True(Base64Url.TryDecode("AA", out _));
        Assert.False(Base64Url.TryDecode("AB", out _));
    }
}
