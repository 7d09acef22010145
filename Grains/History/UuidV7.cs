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
}
