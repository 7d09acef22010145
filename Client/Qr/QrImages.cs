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

    /// <summary>The text of the first QR code found in the PNG, or null.</summary>
    public static string? ReadPng(byte[] png)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.RedGreenBlueAlpha);
        var source = new RGBLuminanceSource(image.Data, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.RGBA32);
        var reader = new QRCodeReader();
        var hints = new Dictionary<DecodeHintType, object> { [DecodeHintType.TRY_HARDER] = true };
        var result = reader.decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
        return result?.Text;
    }
}
