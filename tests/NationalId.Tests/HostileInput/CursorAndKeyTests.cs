using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NationalId.History;
using NationalId.Statutory;

namespace NationalId.Tests.HostileInput;

/// <summary>History cursors are range-checked before any query; a bad registration-authority key stops the start.</summary>
public class CursorAndKeyTests
{
    [Theory]
    [InlineData("ffffffff-ffff-7fff-bfff-ffffffffffff")] // a v7 whose time is beyond year 9999: was a 500
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("3f2504e0-4f89-41d3-9a0c-0305e82c3301")] // a v4
    [InlineData("0192f0c4-1a2b-7c3d-0e4f-5a6b7c8d9e0f")] // v7 bits, wrong variant
    public void Ids_that_are_not_representable_uuidv7_are_not_cursors(string text) =>
        Assert.False(UuidV7.IsCursor(Guid.Parse(text)));

    [Fact]
    public void Every_event_id_the_service_makes_is_a_cursor()
    {
        for (var i = 0; i < 1000; i++)
        {
            var at = DateTimeOffset.UtcNow.AddDays(Random.Shared.Next(-4000, 4000));
            var id = Guid.CreateVersion7(at);
            Assert.True(UuidV7.IsCursor(id));
            Assert.Equal(at.ToUnixTimeMilliseconds(), UuidV7.Timestamp(id).ToUnixTimeMilliseconds());
        }
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "low order")] // the all-zero point: every shared secret is zero
    [InlineData("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "low order")] // u = 1: order 4
    [InlineData("7P///////////////////////////////////////38=", "low order")] // u = p - 1: order 2
    [InlineData("not base64!", "malformed")]
    [InlineData("AAAA", "short")]
    public void A_registration_authority_key_that_cannot_seal_stops_the_start(string key, string _)
    {
        var options = Options.Create(new NationalIdOptions { Authority = new AuthorityOptions { KeyId = 1, PublicKey = key } });
        var refused = Assert.Throws<InvalidOperationException>(() => new StatutorySealer(options, NullLogger<StatutorySealer>.Instance));
        Assert.Contains("NationalId:Authority:PublicKey", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Events a grain raises within one millisecond keep their order when sorted by id, as history pages are. Before,
    /// the UUIDv7 random bits ordered them at random (StuckCitizenTests saw "operator_read" before "revoked").
    /// </summary>
    [Fact]
    public void Ids_made_after_one_another_in_one_millisecond_sort_in_that_order()
    {
        var now = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
        var ids = new List<Guid>();
        var previous = Guid.Empty;
        for (var i = 0; i < 1_000; i++)
        {
            previous = UuidV7.After(previous, now);
            ids.Add(previous);
        }

        Assert.Equal(ids, ids.Order());
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(now, UuidV7.Timestamp(id)));
    }
}
