namespace NationalId.History;

/// <summary>Reads the millisecond timestamp a UUIDv7 carries in its first 48 bits (RFC 9562).</summary>
public static class UuidV7
{
    // The latest time a cursor may carry: a day short of DateTimeOffset's end, so readers may still add to it.
    private static readonly long MaxMilliseconds = DateTimeOffset.MaxValue.AddDays(-1).ToUnixTimeMilliseconds();

    public static DateTimeOffset Timestamp(Guid id) =>
        TryTimestamp(id, out var at) ? at : throw new ArgumentOutOfRangeException(nameof(id), "Not a UUIDv7 with a representable time.");

    /// <summary>
    /// The time of a UUIDv7, or false when the value is not one (another version or variant) or carries a time beyond
    /// what can be represented: every history cursor is checked with this before it reaches a query.
    /// </summary>
    public static bool TryTimestamp(Guid id, out DateTimeOffset at)
    {
        at = default;
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        if ((bytes[6] >> 4) != 7 || (bytes[8] & 0xC0) != 0x80)
        {
            return false;
        }

        long ms = 0;
        for (var i = 0; i < 6; i++)
        {
            ms = (ms << 8) | bytes[i];
        }

        if (ms > MaxMilliseconds)
        {
            return false;
        }

        at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    /// <summary>A history paging cursor: the id of an event, so a UUIDv7 of a representable time.</summary>
    public static bool IsCursor(Guid id) => TryTimestamp(id, out _);

    /// <summary>
    /// A UUIDv7 of <paramref name="now"/> that sorts after <paramref name="previous"/> when both fall in the same
    /// millisecond: the version's random bits would otherwise order two events of one instant at random, and history
    /// pages are ordered by id. Then it is <paramref name="previous"/> plus one in its 74 random bits (RFC 9562 §6.2,
    /// method 2). Guid's comparison is the same byte order as PostgreSQL's uuid.
    /// </summary>
    public static Guid After(Guid previous, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7(now);
        if (id.CompareTo(previous) > 0 || !TryTimestamp(previous, out var at) || at.ToUnixTimeMilliseconds() != now.ToUnixTimeMilliseconds())
        {
            return id;
        }

        Span<byte> b = stackalloc byte[16];
        previous.TryWriteBytes(b, bigEndian: true, out _);
        for (var i = 15; i >= 9; i--)
        {
            if (++b[i] != 0)
            {
                return new Guid(b, bigEndian: true);
            }
        }

        if ((b[8] & 0x3F) != 0x3F) // the low six bits of byte 8; its top two are the variant
        {
            b[8]++;
            return new Guid(b, bigEndian: true);
        }

        b[8] &= 0xC0;
        if (++b[7] != 0)
        {
            return new Guid(b, bigEndian: true);
        }

        if ((b[6] & 0x0F) != 0x0F) // the low nibble of byte 6; its top one is the version
        {
            b[6]++;
            return new Guid(b, bigEndian: true);
        }

        return id; // every random bit of this millisecond used up: no order to keep
    }
}
