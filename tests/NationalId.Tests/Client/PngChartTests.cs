using NationalId.Client.Load;
using StbImageSharp;

namespace NationalId.Tests.Client;

public class PngChartTests
{
    [Fact]
    public void The_chart_is_a_png_that_an_independent_decoder_reads()
    {
        var points = Enumerable.Range(0, 10).Select(i => new TimeSeries.Point(i, 1000 + (i * 100), 0, 5, 10 + i)).ToList();
        var png = PngChart.Render(points);

        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlue);
        Assert.Equal(800, image.Width);
        Assert.Equal(490, image.Height);
        Assert.Contains(image.Data.Chunk(3), p => p[0] == 30 && p[1] == 90 && p[2] == 200); // the throughput line
        Assert.Contains(image.Data.Chunk(3), p => p[0] == 200 && p[1] == 40 && p[2] == 40); // the latency line
    }

    [Fact]
    public void An_empty_run_still_renders()
    {
        var image = ImageResult.FromMemory(PngChart.Render([]), ColorComponents.RedGreenBlue);
        Assert.Equal(800, image.Width);
    }
}
