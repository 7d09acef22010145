using System.CommandLine;
using NationalId.Client.Qr;
using NationalId.Client.Wallet;
using static NationalId.Client.Commands.CliOptions;

namespace NationalId.Client.Commands;

/// <summary><c>nid wallet</c>: the citizen's phone wallet, simulated; its state is the --wallet file.</summary>
public static class WalletCommands
{
    public static Command Create(CliOptions cli)
    {
        var walletCommand = new Command("wallet", "The phone wallet, simulated") { cli.WalletPath };
        var createKey = new Command("create-key", "Create the device key pair (kept in the wallet file)");
        createKey.SetAction(r =>
        {
            using var wallet = Wallet.Wallet.Create();
            wallet.File.Save(r.GetValue(cli.WalletPath)!);
            Console.WriteLine($"device key created in {r.GetValue(cli.WalletPath)}");
        });
        walletCommand.Add(createKey);

        var code = new Option<string?>("--code") { Description = "Counter activation code (instead of --face)" };
        var label = new Option<string?>("--label") { Description = "A name for this phone" };
        var activate = new Command("activate", "Bind this phone: prove identity with a live face or a counter code") { cli.IdNumber, cli.FaceFile, code, label };
        activate.SetAction(async r =>
        {
            var path = r.GetValue(cli.WalletPath)!;
            using var wallet = new Wallet.Wallet(WalletFile.Load(path));
            using var http = cli.GatewayClient(r);
            var response = await wallet.ActivateAsync(http, r.GetValue(cli.IdNumber)!, ReadFace(r.GetValue(cli.FaceFile)), r.GetValue(code), r.GetValue(label));
            if (response.IsSuccessStatusCode)
            {
                wallet.File.Save(path);
            }

            return await Print(response);
        });
        walletCommand.Add(activate);

        var png = new Option<string?>("--png") { Description = "Also write the QR code as a PNG here" };
        var present = new Command("present", "Show a QR presentation (valid one minute, single use)") { png };
        present.SetAction(r =>
        {
            using var wallet = Open(cli, r);
            var text = wallet.Present();
            Console.WriteLine(text);
            if (r.GetValue(png) is { } file)
            {
                File.WriteAllBytes(file, QrImages.ToPng(text));
                Console.Error.WriteLine($"QR written to {file}");
            }
        });
        walletCommand.Add(present);

        var target = new Option<string?>("--credential-id") { Description = "Credential to act on (default: this phone's)" };
        foreach (var action in new[] { "suspend", "resume", "revoke" })
        {
            var walletAction = new Command(action, $"{action} one of my credentials (default: this phone's), signed by this phone") { cli.Reason, target, cli.FaceFile };
            walletAction.SetAction(async r =>
            {
                using var wallet = Open(cli, r);
                using var http = cli.GatewayClient(r);
                return await Print(await wallet.ChangeCredentialAsync(http, action, r.GetValue(target) ?? wallet.File.CredentialId!, r.GetValue(cli.Reason)!, ReadFace(r.GetValue(cli.FaceFile))));
            });
            walletCommand.Add(walletAction);
        }

        foreach (var locked in new[] { true, false })
        {
            var lockCommand = new Command(locked ? "lock" : "unlock", locked ? "Lock my identity: refuse every remote verification" : "Unlock my identity (needs --face)") { cli.Reason, cli.FaceFile };
            lockCommand.SetAction(async r =>
            {
                using var wallet = Open(cli, r);
                using var http = cli.GatewayClient(r);
                return await Print(await wallet.SetLockedAsync(http, locked, r.GetValue(cli.Reason)!, ReadFace(r.GetValue(cli.FaceFile))));
            });
            walletCommand.Add(lockCommand);
        }

        var walletResidence = new Command("residence", "Register where I live (signed by this phone)") { cli.ResidenceProvince };
        walletResidence.SetAction(async r =>
        {
            using var wallet = Open(cli, r);
            using var http = cli.GatewayClient(r);
            return await Print(await wallet.RegisterResidenceAsync(http, r.GetValue(cli.ResidenceProvince)!));
        });
        walletCommand.Add(walletResidence);

        walletCommand.Add(Mandates(cli));

        var walletHistory = new Command("history", "Who verified me, and what happened to my phones");
        walletHistory.SetAction(async r =>
        {
            using var wallet = Open(cli, r);
            using var http = cli.GatewayClient(r);
            return await Print(await wallet.HistoryAsync(http));
        });
        walletCommand.Add(walletHistory);
        return walletCommand;
    }

    private static Command Mandates(CliOptions cli)
    {
        var walletMandate = new Command("mandate", "Mandates I grant: who may be verified on my behalf");
        var grantFromPhone = new Command("grant", "Let another citizen act for me for some scopes (needs my live --face)") { cli.DelegateId, cli.MandateScopes, cli.ValidFrom, cli.ValidUntil, cli.FaceFile };
        grantFromPhone.SetAction(async r =>
        {
            using var wallet = Open(cli, r);
            using var http = cli.GatewayClient(r);
            return await Print(await wallet.GrantMandateAsync(http, r.GetValue(cli.DelegateId)!, r.GetValue(cli.MandateScopes)!, ReadFace(r.GetValue(cli.FaceFile)), r.GetValue(cli.ValidFrom), r.GetValue(cli.ValidUntil)));
        });
        walletMandate.Add(grantFromPhone);
        var listFromPhone = new Command("list", "My mandates");
        listFromPhone.SetAction(async r =>
        {
            using var wallet = Open(cli, r);
            using var http = cli.GatewayClient(r);
            return await Print(await wallet.ListMandatesAsync(http));
        });
        walletMandate.Add(listFromPhone);
        var revokeFromPhone = new Command("revoke", "End one of my mandates") { cli.MandateId, cli.Reason };
        revokeFromPhone.SetAction(async r =>
        {
            using var wallet = Open(cli, r);
            using var http = cli.GatewayClient(r);
            return await Print(await wallet.RevokeMandateAsync(http, r.GetValue(cli.MandateId)!, r.GetValue(cli.Reason)!));
        });
        walletMandate.Add(revokeFromPhone);
        return walletMandate;
    }

    private static Wallet.Wallet Open(CliOptions cli, ParseResult r) => new(WalletFile.Load(r.GetValue(cli.WalletPath)!));
}
