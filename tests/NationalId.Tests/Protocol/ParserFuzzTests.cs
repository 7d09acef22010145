using System.Security.Cryptography;
using CsCheck;
using NationalId.Cards;
using NationalId.IdNumbers;
using NationalId.Protocol;
using NationalId.Tests.Support;

namespace NationalId.Tests.Protocol;

/// <summary>
/// Generated bad input against the parsers every request goes through: the presentation (QR) opener, the printed
/// card opener and the ID-number parser. 100,000 cases each: no exception, and what is accepted is well formed.
/// </summary>
public sealed class ParserFuzzTests : IDisposable
{
    private const long Cases = 100_000;
    private readonly TestKeys _keys = new();

    private static readonly Gen<string> AnyText = Gen.OneOf(
        Gen.String,
        Gen.String[Gen.Char.AlphaNumeric, 0, 40],
        Gen.Char["0123456789Xx -"].Array[0, 24].Select(c => new string(c)));

    [Fact]
    public void The_presentation_opener_never_throws_on_garbage_or_mutated_qrs()
    {
        var valid = PresentationCodec.Seal(_keys.Device, 1, _keys.Service.ExportParameters(false), RandomNumberGenerator.GetBytes(16),
            "c44-abcdefghijklmnopqrstuvwxyz234567", DateTimeOffset.UtcNow);
        Base64Url.TryDecode(valid[ProtocolConstants.PresentationPrefix.Length..], out var bytes);

        var mutated = Gen.Select(Gen.Int[0, bytes.Length - 1], Gen.Byte, Gen.Int[0, bytes.Length]).Select(m =>
        {
            var copy = bytes.ToArray();
            copy[m.Item1] ^= (byte)(m.Item2 | 1); // always a change
            return ProtocolConstants.PresentationPrefix + Base64Url.Encode(copy.AsSpan(0, Math.Max(m.Item3, m.Item1 + 1)));
        });
        var random = Gen.Byte.Array[0, 600].Select(b => ProtocolConstants.PresentationPrefix + Base64Url.Encode(b));
        var accepted = 0;
        Gen.OneOf(AnyText, random, mutated, AnyText.Select(t => ProtocolConstants.PresentationPrefix + t)).Sample(text =>
        {
            var error = PresentationCodec.TryOpen(text, _ => _keys.Service, out var payload);
            if (error == PresentationError.None)
            {
                // Every case is garbage or a changed byte, which AES-GCM refuses: nothing may open.
                Interlocked.Increment(ref accepted);
                Assert.NotNull(payload);
            }
            else
            {
                Assert.Null(payload);
            }
        }, iter: Cases);
        Assert.Equal(0, accepted);
        Assert.Equal(PresentationError.None, PresentationCodec.TryOpen(valid, _ => _keys.Service, out _));
    }

    [Fact]
    public void The_card_opener_never_throws_and_never_accepts_what_it_did_not_seal()
    {
        var sealer = new CardSealer(RandomNumberGenerator.GetBytes(32));
        var valid = sealer.Seal(RandomNumberGenerator.GetBytes(16), "c44-abcdefghijklmnopqrstuvwxyz234567");
        Base64Url.TryDecode(valid[CardSealer.Prefix.Length..], out var bytes);
        var mutated = Gen.Select(Gen.Int[0, bytes.Length - 1], Gen.Byte).Select(m =>
        {
            var copy = bytes.ToArray();
            copy[m.Item1] ^= (byte)(m.Item2 | 1);
            return CardSealer.Prefix + Base64Url.Encode(copy);
        });
        Gen.OneOf(AnyText, mutated, Gen.Byte.Array[0, 300].Select(b => CardSealer.Prefix + Base64Url.Encode(b))).Sample(text =>
        {
            Assert.False(sealer.TryOpen(text, out var cardId, out var handle));
            Assert.Empty(cardId);
            Assert.Empty(handle);
        }, iter: Cases);
        Assert.True(sealer.TryOpen(valid, out _, out _));
    }

    [Fact]
    public void The_id_number_parser_never_throws_and_accepts_only_numbers_with_a_right_check_character()
    {
        var nearlyValid = Gen.Select(Gen.Int[0, 17], Gen.Char["0123456789X"]).Select(m =>
        {
            var chars = "11010519491231002X".ToCharArray();
            chars[m.Item1] = m.Item2;
            return new string(chars);
        });
        Gen.OneOf(AnyText, nearlyValid).Sample(text =>
        {
            if (ResidentIdNumber.TryParse(text, out var id, out var error))
            {
                Assert.Equal(18, id!.Value.Length);
                Assert.Equal(ResidentIdNumber.ComputeCheckCharacter(id.Value.AsSpan(0, 17)), id.Value[17]);
            }
            else
            {
                Assert.Null(id);
                Assert.NotEqual(IdNumberError.None, error);
            }
        }, iter: Cases);
    }

    public void Dispose() => _keys.Dispose();
}
