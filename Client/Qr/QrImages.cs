using QRCoder;
using StbImageSharp;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace NationalId.Client.Qr;

/// <summary>Renders presentation text as a QR PNG (QRCoder) and reads it back from a PNG (ZXing.Net + stb_image).</summary>
public static class QrImages
{
    public static byte[] ToPng(string text, int pixelsPerModule = 6)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    /// <summary>
    /// The text of the QR code in the PNG, or null. A generated image is read as a pure code first (exact module
    /// grid, no perspective), then searched for with two binarizers: with the search alone, about one code in a
    /// hundred of our sizes was not found (tests/…/QrImagesTests).
    /// </summary>
    public static string? ReadPng(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlueAlpha);
        var source = new RGBLuminanceSource(image.Data, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.RGBA32);
        var reader = new QRCodeReader();
        var pure = new Dictionary<DecodeHintType, object> { [DecodeHintType.PURE_BARCODE] = true };
        var harder = new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true };
        return reader.decode(new BinaryBitmap(new HybridBinarizer(source)), pure)?.Text
            ?? reader.decode(new BinaryBitmap(new HybridBinarizer(source)), harder)?.Text
            ?? reader.decode(new BinaryBitmap(new GlobalHistogramBinarizer(source)), harder)?.Text;
    }
}
