using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace NationalId.Client.Load;

/// <summary>
/// A small PNG chart of a run, drawn without a graphics library: verifications per second (top, blue) and p99
/// latency in ms (bottom, red) over time, each with its maximum written in a 3×5 pixel digit font.
/// </summary>
public static class PngChart
{
    private const int Width = 800;
    private const int PanelHeight = 200;
    private const int Margin = 30;
    private const int Height = (2 * PanelHeight) + (3 * Margin);

    private static readonly string[] Digits =
    [
        "111101101101111", "010110010010111", "111001111100111", "111001111001111", "101101111001001",
        "111100111001111", "111100111101111", "111001001001001", "111101111101111", "111101111001111",
    ];

    public static byte[] Render(IReadOnlyList<TimeSeries.Point> points)
    {
        var pixels = new byte[Width * Height * 3];
        Array.Fill(pixels, (byte)255);
        Panel(pixels, Margin, points.Select(p => (double)p.Answered).ToList(), (30, 90, 200));
        Panel(pixels, (2 * Margin) + PanelHeight, points.Select(p => p.P99Ms).ToList(), (200, 40, 40));
        return Encode(pixels);
    }

    private static void Panel(byte[] pixels, int top, List<double> values, (byte R, byte G, byte B) color)
    {
        var left = Margin + 40;
        var right = Width - Margin;
        var bottom = top + PanelHeight;
        for (var x = left; x <= right; x++)
        {
            Set(pixels, x, bottom, (0, 0, 0));
        }

        for (var y = top; y <= bottom; y++)
        {
            Set(pixels, left, y, (0, 0, 0));
        }

        var max = values.Count == 0 ? 1 : Math.Max(1, values.Max());
        Text(pixels, Margin - 20, top, ((long)Math.Round(max)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (values.Count < 2)
        {
            return;
        }

        (int X, int Y) At(int i) => (
            left + (int)((right - left) * (i / (double)(values.Count - 1))),
            bottom - (int)((PanelHeight - 2) * (values[i] / max)));
        for (var i = 1; i < values.Count; i++)
        {
            Line(pixels, At(i - 1), At(i), color);
        }
    }

    private static void Text(byte[] pixels, int x, int y, string digits)
    {
        foreach (var c in digits)
        {
            var glyph = Digits[c - '0'];
            for (var row = 0; row < 5; row++)
            {
                for (var col = 0; col < 3; col++)
                {
                    if (glyph[(row * 3) + col] == '1')
                    {
                        for (var d = 0; d < 4; d++)
                        {
                            Set(pixels, x + (col * 2) + (d % 2), y + (row * 2) + (d / 2), (0, 0, 0));
                        }
                    }
                }
            }

            x += 8;
        }
    }

    private static void Line(byte[] pixels, (int X, int Y) a, (int X, int Y) b, (byte R, byte G, byte B) color)
    {
        var steps = Math.Max(Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y));
        for (var s = 0; s <= steps; s++)
        {
            var t = steps == 0 ? 0 : s / (double)steps;
            var x = (int)Math.Round(a.X + ((b.X - a.X) * t));
            var y = (int)Math.Round(a.Y + ((b.Y - a.Y) * t));
            Set(pixels, x, y, color);
            Set(pixels, x, y + 1, color);
        }
    }

    private static void Set(byte[] pixels, int x, int y, (byte R, byte G, byte B) color)
    {
        if (x is < 0 or >= Width || y is < 0 or >= Height)
        {
            return;
        }

        var i = ((y * Width) + x) * 3;
        pixels[i] = color.R;
        pixels[i + 1] = color.G;
        pixels[i + 2] = color.B;
    }

    private static byte[] Encode(byte[] rgb)
    {
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < Height; y++)
            {
                z.WriteByte(0); // filter: none
                z.Write(rgb, y * Width * 3, Width * 3);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32([.. typeBytes, .. data]));
        png.Write(word);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
