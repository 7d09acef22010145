using System.Security.Cryptography;
using NationalId.Client.Qr;
using NationalId.Protocol;

namespace NationalId.Tests.Client;

public class QrImagesTests
{
    [Theory]
    [InlineData("NID1.", 190)] // a phone presentation's size
    [InlineData("NIDC1.", 69)] // a printed card's
    public void Every_rendered_qr_reads_back_exactly(string prefix, int bytes)
    {
        var failures = 0;
        for (var i = 0; i < 150; i++)
        {
            var text = prefix + Base64Url.Encode(RandomNumberGenerator.GetBytes(bytes));
            if (QrImages.ReadPng(QrImages.ToPng(text)) != text)
            {
                failures++;
            }
        }

        Assert.Equal(0, failures);
    }
}
