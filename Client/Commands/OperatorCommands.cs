using System.CommandLine;
using NationalId.Api;
using NationalId.Client.Capture;
using NationalId.Client.Qr;
using static NationalId.Client.Commands.CliOptions;

namespace NationalId.Client.Commands;

/// <summary><c>nid operator</c>: ministry operator and counter officer actions, each an operator API call.</summary>
public static class OperatorCommands
{
    public static Command Create(CliOptions cli)
    {
        var operatorCommand = new Command("operator", "Ministry operator and counter officer actions");
        var name = new Option<string>("--name") { Required = true };
        var enroll = new Command("enroll", "Enroll a citizen") { cli.IdNumber, name, cli.OperatorKey, cli.FaceFile };
        enroll.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
            r.GetValue(cli.OperatorKey)!, "/v1/operator/citizens",
            new EnrollCitizenRequest(r.GetValue(cli.IdNumber), r.GetValue(name), ReadFace(r.GetValue(cli.FaceFile)), null))));
        operatorCommand.Add(enroll);

        var activationCode = new Command("activation-code", "Issue a one-time activation code after an in-person check") { cli.IdNumber, cli.OperatorKey };
        activationCode.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
            r.GetValue(cli.OperatorKey)!, "/v1/operator/citizens/activation-codes", new CitizenRequest(r.GetValue(cli.IdNumber)))));
        operatorCommand.Add(activationCode);

        var lookup = new Command("lookup", "Show a citizen's phones") { cli.IdNumber, cli.OperatorKey };
        lookup.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
            r.GetValue(cli.OperatorKey)!, "/v1/operator/citizens/lookup", new CitizenRequest(r.GetValue(cli.IdNumber)))));
        operatorCommand.Add(lookup);

        var credentialId = new Option<string>("--credential-id") { Required = true };
        var channel = new Option<string>("--channel") { Description = "counter (needs --face) or hotline (suspend or lock only)", DefaultValueFactory = _ => "counter" };
        foreach (var action in new[] { "suspend", "resume", "revoke" })
        {
            var counterAction = new Command(action, $"{action} a citizen's credential at a counter or hotline") { cli.IdNumber, credentialId, cli.Reason, cli.FaceFile, channel, cli.OperatorKey };
            counterAction.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
                r.GetValue(cli.OperatorKey)!, $"/v1/operator/citizens/credentials/{action}",
                new CounterCredentialRequest(r.GetValue(cli.IdNumber), r.GetValue(credentialId), r.GetValue(cli.Reason), ReadFace(r.GetValue(cli.FaceFile)), r.GetValue(channel)))));
            operatorCommand.Add(counterAction);
        }

        foreach (var (verb, path) in new[] { ("lock", "/v1/operator/citizens/lock"), ("unlock", "/v1/operator/citizens/unlock") })
        {
            var lockCommand = new Command(verb, $"{verb} a citizen's identity at a counter or hotline") { cli.IdNumber, cli.Reason, cli.FaceFile, channel, cli.OperatorKey };
            lockCommand.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
                r.GetValue(cli.OperatorKey)!, path, new CounterLockRequest(r.GetValue(cli.IdNumber), r.GetValue(cli.Reason), ReadFace(r.GetValue(cli.FaceFile)), r.GetValue(channel)))));
            operatorCommand.Add(lockCommand);
        }

        var counterResidence = new Command("residence", "Register where a citizen lives, at a counter (needs --face)") { cli.IdNumber, cli.ResidenceProvince, cli.FaceFile, cli.OperatorKey };
        counterResidence.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
            r.GetValue(cli.OperatorKey)!, "/v1/operator/citizens/residence",
            new CounterResidenceRequest(r.GetValue(cli.IdNumber), r.GetValue(cli.ResidenceProvince), ReadFace(r.GetValue(cli.FaceFile))))));
        operatorCommand.Add(counterResidence);

        operatorCommand.Add(Cards(cli, channel));
        operatorCommand.Add(Mandates(cli));

        var operatorHistory = new Command("history", "Read a citizen's history (the reason is recorded where the citizen sees it)") { cli.IdNumber, cli.Reason, cli.OperatorKey };
        operatorHistory.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
            r.GetValue(cli.OperatorKey)!, "/v1/operator/citizens/history", new OperatorHistoryRequest(r.GetValue(cli.IdNumber), r.GetValue(cli.Reason), null, 50))));
        operatorCommand.Add(operatorHistory);

        var legalName = new Option<string>("--legal-name") { Required = true };
        var sector = new Option<string>("--sector") { Description = "hotel, rail, bank, government, telecom, other", Required = true };
        var province = new Option<string>("--province") { Description = "Two-digit province code, e.g. 44", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "Scope(s), e.g. hotel.checkin", Required = true, AllowMultipleArgumentsPerToken = true };
        var registerRp = new Command("register-rp", "Register a relying party; prints its API key once") { legalName, sector, province, scopes, cli.OperatorKey };
        registerRp.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
            r.GetValue(cli.OperatorKey)!, "/v1/operator/relying-parties",
            new RegisterRelyingPartyRequest(r.GetValue(legalName), r.GetValue(sector), r.GetValue(province), r.GetValue(scopes)))));
        operatorCommand.Add(registerRp);

        operatorCommand.Add(CaptureVendors(cli));
        operatorCommand.Add(RegisterImportCommand(cli));
        return operatorCommand;
    }

    // bulk enrollment from the population register
    private static Command RegisterImportCommand(CliOptions cli)
    {
        var file = new Argument<string?>("file") { Description = "Register file: JSON lines, or CSV (.csv) with the header " + "id_number,name,sex,birth_date,face,residence_province", Arity = ArgumentArity.ZeroOrOne };
        var batch = new Option<int>("--batch") { Description = "Lines per request (at most 5000)", DefaultValueFactory = _ => 2000 };
        var parallel = new Option<int>("--parallel") { Description = "Requests in flight", DefaultValueFactory = _ => 2 };
        var synthetic = new Option<int?>("--synthetic") { Description = "Instead of a file: this many synthetic citizens, the people 'nid seed' makes (load tests)" };
        var seed = new Option<int>("--seed") { Description = "Population seed of --synthetic", DefaultValueFactory = _ => 2026 };
        var import = new Command("import", "Enroll citizens in bulk from the population register: idempotent, resumable (FILE.progress), rejected lines in FILE.rejected.csv")
        {
            file, batch, parallel, synthetic, seed, cli.OperatorKey,
        };
        import.SetAction(async r =>
        {
            var path = r.GetValue(file);
            var count = r.GetValue(synthetic);
            if ((path is null) == (count is null))
            {
                Console.Error.WriteLine("Give a register file or --synthetic N.");
                return 2;
            }

            var stem = path ?? $"synthetic-{r.GetValue(seed)}-{count}";
            var options = new NationalId.Client.Import.ImportOptions(
                Math.Clamp(r.GetValue(batch), 1, 5000), Math.Max(1, r.GetValue(parallel)), stem + ".progress", stem + ".rejected.csv",
                path is null ? count : NationalId.Client.Import.RegisterSource.CountLines(path));
            var source = path is null ? NationalId.Client.Import.RegisterSource.Synthetic(new Load.PopulationPlan(r.GetValue(seed)), count!.Value) : NationalId.Client.Import.RegisterSource.Read(path);
            using var http = new HttpClient { BaseAddress = cli.GatewayUri(r), Timeout = TimeSpan.FromMinutes(2) };
            try
            {
                var summary = await NationalId.Client.Import.RegisterImport.RunAsync(http, r.GetValue(cli.OperatorKey)!, source, options, Console.Error);
                Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(summary, ApiClientJson.Options));
                return 0;
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine();
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
        });
        return import;
    }

    // printed cards
    private static Command Cards(CliOptions cli, Option<string> channel)
    {
        var cardCommand = new Command("card", "Printed cards for people without a phone (docs/guides/counter.md)");
        var cardPng = new Option<string?>("--png") { Description = "Also write the card's QR as a PNG to print" };
        var issueCard = new Command("issue", "Print a card after a live face match (--face); an earlier card stops working") { cli.IdNumber, cli.FaceFile, cardPng, cli.OperatorKey };
        issueCard.SetAction(async r =>
        {
            using var http = cli.GatewayClient(r);
            var response = await http.PostAsOperator(r.GetValue(cli.OperatorKey)!, "/v1/operator/cards", new IssueCardRequest(r.GetValue(cli.IdNumber), ReadFace(r.GetValue(cli.FaceFile))));
            if (response.IsSuccessStatusCode && r.GetValue(cardPng) is { } png)
            {
                var card = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<IssueCardResponse>(response.Content, ApiClientJson.Options);
                File.WriteAllBytes(png, QrImages.ToPng(card!.CardQr));
                Console.Error.WriteLine($"card QR written to {png}");
                response = new HttpResponseMessage(response.StatusCode) { Content = GatewayHttp.Json(card) };
            }

            return await Print(response);
        });
        cardCommand.Add(issueCard);
        var revokeCard = new Command("revoke", "Revoke a citizen's printed card (counter with --face, or --channel hotline)") { cli.IdNumber, cli.Reason, cli.FaceFile, channel, cli.OperatorKey };
        revokeCard.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
            r.GetValue(cli.OperatorKey)!, "/v1/operator/cards/revoke", new RevokeCardRequest(r.GetValue(cli.IdNumber), r.GetValue(cli.Reason), ReadFace(r.GetValue(cli.FaceFile)), r.GetValue(channel)))));
        cardCommand.Add(revokeCard);
        return cardCommand;
    }

    // mandates at a counter
    private static Command Mandates(CliOptions cli)
    {
        var mandateCommand = new Command("mandate", "Mandates and guardianships at a counter (docs/guides/counter.md)");
        var principalId = new Option<string>("--principal") { Description = "The principal's ID number", Required = true };
        var mandateKind = new Option<string>("--kind") { Description = "mandate (the principal's --face) or guardianship (the guardian's --face)", DefaultValueFactory = _ => "mandate" };
        var grantAtCounter = new Command("grant", "Grant a mandate or a guardianship at a counter") { principalId, cli.DelegateId, cli.MandateScopes, cli.ValidFrom, cli.ValidUntil, mandateKind, cli.FaceFile, cli.OperatorKey };
        grantAtCounter.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
            r.GetValue(cli.OperatorKey)!, "/v1/operator/mandates", new CounterMandateRequest(
                r.GetValue(principalId), r.GetValue(cli.DelegateId), r.GetValue(cli.MandateScopes), r.GetValue(cli.ValidFrom), r.GetValue(cli.ValidUntil), r.GetValue(mandateKind), ReadFace(r.GetValue(cli.FaceFile))))));
        mandateCommand.Add(grantAtCounter);
        var guardianId = new Option<string?>("--guardian") { Description = "For a guardianship ended by the guardian: the guardian's ID number (--face is then the guardian's)" };
        var revokeAtCounter = new Command("revoke", "End a mandate at a counter (the principal's --face, or the guardian's with --guardian)") { principalId, cli.MandateId, cli.Reason, cli.FaceFile, guardianId, cli.OperatorKey };
        revokeAtCounter.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
            r.GetValue(cli.OperatorKey)!, "/v1/operator/mandates/revoke", new CounterMandateRevokeRequest(
                r.GetValue(principalId), r.GetValue(cli.MandateId), r.GetValue(cli.Reason), ReadFace(r.GetValue(cli.FaceFile)), r.GetValue(guardianId)))));
        mandateCommand.Add(revokeAtCounter);
        return mandateCommand;
    }

    // Capture-SDK vendors whose attestations make a remote face count (docs/reference/protocol.md §4.1).
    private static Command CaptureVendors(CliOptions cli)
    {
        var vendorCommand = new Command("capture-vendor", "Certified capture-SDK vendors: list, register, revoke");
        var vendorId = new Option<string>("--vendor-id") { Description = "2-32 of a-z, 0-9, '-'", Required = true };
        var vendorName = new Option<string>("--name") { Required = true };
        var vendorKey = new Option<string>("--public-key") { Description = "base64url of the vendor's 65-byte P-256 point", Required = true };
        var listVendors = new Command("list", "Every vendor, revoked ones included") { cli.OperatorKey };
        listVendors.SetAction(async r =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/operator/capture-vendors");
            request.Headers.Add("X-Operator-Key", r.GetValue(cli.OperatorKey));
            return await Print(await cli.GatewayClient(r).SendAsync(request));
        });
        vendorCommand.Add(listVendors);
        var registerVendor = new Command("register", "Trust a vendor's key") { vendorId, vendorName, vendorKey, cli.OperatorKey };
        registerVendor.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
            r.GetValue(cli.OperatorKey)!, "/v1/operator/capture-vendors", new RegisterCaptureVendorRequest(r.GetValue(vendorId), r.GetValue(vendorName), r.GetValue(vendorKey)))));
        vendorCommand.Add(registerVendor);
        var revokeVendor = new Command("revoke", "Stop trusting a vendor (for good: its id is never registered again)") { vendorId, cli.Reason, cli.OperatorKey };
        revokeVendor.SetAction(async r => await Print(await cli.GatewayClient(r).PostAsOperator(
            r.GetValue(cli.OperatorKey)!, $"/v1/operator/capture-vendors/{Uri.EscapeDataString(r.GetValue(vendorId)!)}/revoke", new CaptureVendorRevocationRequest(r.GetValue(cli.Reason)))));
        vendorCommand.Add(revokeVendor);
        var devVendor = new Command("dev-key", "The development vendor the simulated wallet attests with (its private key is in the source: development only)");
        devVendor.SetAction(_ => Console.WriteLine($"vendor id  {CaptureSdk.DevelopmentVendorId}\npublic key {CaptureSdk.DevelopmentPublicKey}"));
        vendorCommand.Add(devVendor);
        return vendorCommand;
    }
}
