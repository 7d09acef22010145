namespace NationalId.History;

/// <summary>Reads the millisecond timestamp a UUIDv7 carries in its first 48 bits (RFC 9562).</summary>
public static class UuidV7
{
    public static DateTimeOffset Timestamp(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        long ms = 0;
        for (var i = 0; i < 6; i++)
        {
            ms = (ms << 8) | bytes[i];
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }
}
