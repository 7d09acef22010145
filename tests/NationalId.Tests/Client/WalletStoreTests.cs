using NationalId.Client.Load;
using NationalId.Client.Wallet;

namespace NationalId.Tests.Client;

public class WalletStoreTests
{
    [Fact]
    public void A_wallet_line_round_trips()
    {
        using var wallet = Wallet.Create();
        wallet.File.CredentialId = "AAECAwQFBgcICQoLDA0ODw";
        wallet.File.CitizenHandle = "c44-abcdefghijklmnopqrstuvwxyz234567";
        wallet.File.CredentialReference = "c44-abcdefghijklmnopqrstuvwxyz234567.AAECAwQFBgcICQoLDA0ODw";
        wallet.File.PresentationKeyId = 2;
        wallet.File.PresentationSuite = 2;
        wallet.File.PresentationPublicKey = "sDvNj9DlQAR9pdysVzeTBLmit0OAOHv8sHpeJ1XUNQo";
        wallet.File.Assurance = "substantial";

        var back = WalletStore.Parse(WalletStore.Line(new WalletStore.Entry(42, "44", wallet.File)));

        Assert.Equal(42, back.Index);
        Assert.Equal("44", back.HomeProvince);
        Assert.Equal(wallet.File.PrivateKey, back.Wallet.PrivateKey);
        Assert.Equal(wallet.File.CredentialReference, back.Wallet.CredentialReference);
        Assert.Equal(2u, back.Wallet.PresentationKeyId);
        Assert.Equal(2, back.Wallet.PresentationSuite);
    }

    [Fact]
    public void A_damaged_line_is_refused()
    {
        Assert.Throws<FormatException>(() => WalletStore.Parse("1\t44\tonly three"));
    }
}
