using System.CommandLine;
using System.Text.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;
using NationalId.Client.Qr;
using NationalId.Client.Wallet;

// nid: the NationalId command line. Wallet and terminal simulators, operator shortcuts, demo faces.
var gateway = new Option<string>("--gateway") { Description = "Gateway base URL", DefaultValueFactory = _ => "http://127.0.0.1:8080", Recursive = true };
var management = new Option<string?>("--management") { Description = "The silo's management listener (Gateway:ManagementUrls), for diagnostics; default: the gateway", Recursive = true };
var walletPath = new Option<string>("--wallet") { Description = "Wallet file (the simulated phone)", DefaultValueFactory = _ => "wallet.json" };
var idNumber = new Option<string>("--id-number") { Description = "Resident ID number", Required = true };
var operatorKey = new Option<string>("--operator-key") { Description = "Operator key (X-Operator-Key); env NID_OPERATOR_KEY", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NID_OPERATOR_KEY") ?? string.Empty };
var faceFile = new Option<string?>("--face") { Description = "Face file made by 'nid face'" };

var root = new RootCommand("NationalId command line: wallet and terminal simulators, operator shortcuts") { gateway, management };

// ---- face: demo templates (the service runs no face model; a person is a vector)
var faceCommand = new Command("face", "Write a demo face capture: a person's vector plus a little noise");
var faceSeed = new Option<int>("--person") { Description = "Which demo person (any integer)", Required = true };
var faceOut = new Option<string>("--out") { Description = "Output file", Required = true };
var liveness = new Option<double>("--liveness") { DefaultValueFactory = _ => 0.98 };
faceCommand.Add(faceSeed);
faceCommand.Add(faceOut);
faceCommand.Add(liveness);
faceCommand.SetAction(r =>
{
    var person = FaceVectors.Person(r.GetValue(faceSeed));
    var capture = FaceVectors.Capture(person, Environment.TickCount);
    File.WriteAllText(r.GetValue(faceOut)!, JsonSerializer.Serialize(FaceVectors.Live(capture, r.GetValue(liveness)), ApiClientJson.Options));
    Console.WriteLine($"wrote {r.GetValue(faceOut)}");
});
root.Add(faceCommand);

// ---- operator
var operatorCommand = new Command("operator", "Ministry operator and counter officer actions");
var name = new Option<string>("--name") { Required = true };
var enroll = new Command("enroll", "Enroll a citizen") { idNumber, name, operatorKey, faceFile };
enroll.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
    r.GetValue(operatorKey)!, "/v1/operator/citizens",
    new EnrollCitizenRequest(r.GetValue(idNumber), r.GetValue(name), ReadFace(r.GetValue(faceFile)), null))));
operatorCommand.Add(enroll);

var activationCode = new Command("activation-code", "Issue a one-time activation code after an in-person check") { idNumber, operatorKey };
activationCode.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
    r.GetValue(operatorKey)!, "/v1/operator/citizens/activation-codes", new CitizenRequest(r.GetValue(idNumber)))));
operatorCommand.Add(activationCode);

var lookup = new Command("lookup", "Show a citizen's phones") { idNumber, operatorKey };
lookup.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
    r.GetValue(operatorKey)!, "/v1/operator/citizens/lookup", new CitizenRequest(r.GetValue(idNumber)))));
operatorCommand.Add(lookup);

var credentialId = new Option<string>("--credential-id") { Required = true };
var reason = new Option<string>("--reason") { Required = true };
var channel = new Option<string>("--channel") { Description = "counter (needs --face) or hotline (suspend or lock only)", DefaultValueFactory = _ => "counter" };
foreach (var action in new[] { "suspend", "resume", "revoke" })
{
    var counterAction = new Command(action, $"{action} a citizen's credential at a counter or hotline") { idNumber, credentialId, reason, faceFile, channel, operatorKey };
    counterAction.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
        r.GetValue(operatorKey)!, $"/v1/operator/citizens/credentials/{action}",
        new CounterCredentialRequest(r.GetValue(idNumber), r.GetValue(credentialId), r.GetValue(reason), ReadFace(r.GetValue(faceFile)), r.GetValue(channel)))));
    operatorCommand.Add(counterAction);
}

foreach (var (verb, path) in new[] { ("lock", "/v1/operator/citizens/lock"), ("unlock", "/v1/operator/citizens/unlock") })
{
    var lockCommand = new Command(verb, $"{verb} a citizen's identity at a counter or hotline") { idNumber, reason, faceFile, channel, operatorKey };
    lockCommand.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
        r.GetValue(operatorKey)!, path, new CounterLockRequest(r.GetValue(idNumber), r.GetValue(reason), ReadFace(r.GetValue(faceFile)), r.GetValue(channel)))));
    operatorCommand.Add(lockCommand);
}

var residenceProvince = new Option<string>("--province") { Description = "Two-digit code of the province lived in, e.g. 44", Required = true };
var counterResidence = new Command("residence", "Register where a citizen lives, at a counter (needs --face)") { idNumber, residenceProvince, faceFile, operatorKey };
counterResidence.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
    r.GetValue(operatorKey)!, "/v1/operator/citizens/residence",
    new CounterResidenceRequest(r.GetValue(idNumber), r.GetValue(residenceProvince), ReadFace(r.GetValue(faceFile))))));
operatorCommand.Add(counterResidence);

// printed cards
var cardCommand = new Command("card", "Printed cards for people without a phone (docs/counter.md)");
var cardPng = new Option<string?>("--png") { Description = "Also write the card's QR as a PNG to print" };
var issueCard = new Command("issue", "Print a card after a live face match (--face); an earlier card stops working") { idNumber, faceFile, cardPng, operatorKey };
issueCard.SetAction(async r =>
{
    using var http = GatewayHttp.Create(r.GetValue(gateway)!);
    var response = await http.PostAsOperator(r.GetValue(operatorKey)!, "/v1/operator/cards", new IssueCardRequest(r.GetValue(idNumber), ReadFace(r.GetValue(faceFile))));
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
var revokeCard = new Command("revoke", "Revoke a citizen's printed card (counter with --face, or --channel hotline)") { idNumber, reason, faceFile, channel, operatorKey };
revokeCard.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
    r.GetValue(operatorKey)!, "/v1/operator/cards/revoke", new RevokeCardRequest(r.GetValue(idNumber), r.GetValue(reason), ReadFace(r.GetValue(faceFile)), r.GetValue(channel)))));
cardCommand.Add(revokeCard);
operatorCommand.Add(cardCommand);

// mandates at a counter
var mandateCommand = new Command("mandate", "Mandates and guardianships at a counter (docs/counter.md)");
var principalId = new Option<string>("--principal") { Description = "The principal's ID number", Required = true };
var delegateIdOption = new Option<string>("--delegate") { Description = "The delegate's (or guardian's) ID number", Required = true };
var mandateScopes = new Option<string[]>("--scope") { Description = "Scope(s) the mandate covers", Required = true, AllowMultipleArgumentsPerToken = true };
var validFrom = new Option<DateTimeOffset?>("--from") { Description = "Start (ISO 8601); default now" };
var validUntil = new Option<DateTimeOffset?>("--until") { Description = "End (ISO 8601); default 5 years, a guardianship ends at 16" };
var mandateKind = new Option<string>("--kind") { Description = "mandate (the principal's --face) or guardianship (the guardian's --face)", DefaultValueFactory = _ => "mandate" };
var grantAtCounter = new Command("grant", "Grant a mandate or a guardianship at a counter") { principalId, delegateIdOption, mandateScopes, validFrom, validUntil, mandateKind, faceFile, operatorKey };
grantAtCounter.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
    r.GetValue(operatorKey)!, "/v1/operator/mandates", new CounterMandateRequest(
        r.GetValue(principalId), r.GetValue(delegateIdOption), r.GetValue(mandateScopes), r.GetValue(validFrom), r.GetValue(validUntil), r.GetValue(mandateKind), ReadFace(r.GetValue(faceFile))))));
mandateCommand.Add(grantAtCounter);
var mandateId = new Option<string>("--mandate-id") { Required = true };
var guardianId = new Option<string?>("--guardian") { Description = "For a guardianship ended by the guardian: the guardian's ID number (--face is then the guardian's)" };
var revokeAtCounter = new Command("revoke", "End a mandate at a counter (the principal's --face, or the guardian's with --guardian)") { principalId, mandateId, reason, faceFile, guardianId, operatorKey };
revokeAtCounter.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
    r.GetValue(operatorKey)!, "/v1/operator/mandates/revoke", new CounterMandateRevokeRequest(
        r.GetValue(principalId), r.GetValue(mandateId), r.GetValue(reason), ReadFace(r.GetValue(faceFile)), r.GetValue(guardianId)))));
mandateCommand.Add(revokeAtCounter);
operatorCommand.Add(mandateCommand);

var operatorHistory = new Command("history", "Read a citizen's history (the reason is recorded where the citizen sees it)") { idNumber, reason, operatorKey };
operatorHistory.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
    r.GetValue(operatorKey)!, "/v1/operator/citizens/history", new OperatorHistoryRequest(r.GetValue(idNumber), r.GetValue(reason), null, 50))));
operatorCommand.Add(operatorHistory);

var legalName = new Option<string>("--legal-name") { Required = true };
var sector = new Option<string>("--sector") { Description = "hotel, rail, bank, government, telecom, other", Required = true };
var province = new Option<string>("--province") { Description = "Two-digit province code, e.g. 44", Required = true };
var scopes = new Option<string[]>("--scope") { Description = "Scope(s), e.g. hotel.checkin", Required = true, AllowMultipleArgumentsPerToken = true };
var registerRp = new Command("register-rp", "Register a relying party; prints its API key once") { legalName, sector, province, scopes, operatorKey };
registerRp.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
    r.GetValue(operatorKey)!, "/v1/operator/relying-parties",
    new RegisterRelyingPartyRequest(r.GetValue(legalName), r.GetValue(sector), r.GetValue(province), r.GetValue(scopes)))));
operatorCommand.Add(registerRp);

// Capture-SDK vendors whose attestations make a remote face count (docs/protocol.md §4.1).
var vendorCommand = new Command("capture-vendor", "Certified capture-SDK vendors: list, register, revoke");
var vendorId = new Option<string>("--vendor-id") { Description = "2-32 of a-z, 0-9, '-'", Required = true };
var vendorName = new Option<string>("--name") { Required = true };
var vendorKey = new Option<string>("--public-key") { Description = "base64url of the vendor's 65-byte P-256 point", Required = true };
var listVendors = new Command("list", "Every vendor, revoked ones included") { operatorKey };
listVendors.SetAction(async r =>
{
    using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/operator/capture-vendors");
    request.Headers.Add("X-Operator-Key", r.GetValue(operatorKey));
    return await Print(await GatewayHttp.Create(r.GetValue(gateway)!).SendAsync(request));
});
vendorCommand.Add(listVendors);
var registerVendor = new Command("register", "Trust a vendor's key") { vendorId, vendorName, vendorKey, operatorKey };
registerVendor.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
    r.GetValue(operatorKey)!, "/v1/operator/capture-vendors", new RegisterCaptureVendorRequest(r.GetValue(vendorId), r.GetValue(vendorName), r.GetValue(vendorKey)))));
vendorCommand.Add(registerVendor);
var revokeVendor = new Command("revoke", "Stop trusting a vendor (for good: its id is never registered again)") { vendorId, reason, operatorKey };
revokeVendor.SetAction(async r => await Print(await GatewayHttp.Create(r.GetValue(gateway)!).PostAsOperator(
    r.GetValue(operatorKey)!, $"/v1/operator/capture-vendors/{Uri.EscapeDataString(r.GetValue(vendorId)!)}/revoke", new CaptureVendorRevocationRequest(r.GetValue(reason)))));
vendorCommand.Add(revokeVendor);
var devVendor = new Command("dev-key", "The development vendor the simulated wallet attests with (its private key is in the source: development only)");
devVendor.SetAction(_ => Console.WriteLine($"vendor id  {NationalId.Client.Capture.CaptureSdk.DevelopmentVendorId}\npublic key {NationalId.Client.Capture.CaptureSdk.DevelopmentPublicKey}"));
vendorCommand.Add(devVendor);
operatorCommand.Add(vendorCommand);
root.Add(operatorCommand);

// ---- wallet
var walletCommand = new Command("wallet", "The phone wallet, simulated") { walletPath };
walletPath.Recursive = true;
var createKey = new Command("create-key", "Create the device key pair (kept in the wallet file)");
createKey.SetAction(r =>
{
    using var wallet = Wallet.Create();
    wallet.File.Save(r.GetValue(walletPath)!);
    Console.WriteLine($"device key created in {r.GetValue(walletPath)}");
});
walletCommand.Add(createKey);

var code = new Option<string?>("--code") { Description = "Counter activation code (instead of --face)" };
var label = new Option<string?>("--label") { Description = "A name for this phone" };
var activate = new Command("activate", "Bind this phone: prove identity with a live face or a counter code") { idNumber, faceFile, code, label };
activate.SetAction(async r =>
{
    var path = r.GetValue(walletPath)!;
    using var wallet = new Wallet(WalletFile.Load(path));
    using var http = GatewayHttp.Create(r.GetValue(gateway)!);
    var response = await wallet.ActivateAsync(http, r.GetValue(idNumber)!, ReadFace(r.GetValue(faceFile)), r.GetValue(code), r.GetValue(label));
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
    using var wallet = new Wallet(WalletFile.Load(r.GetValue(walletPath)!));
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
    var walletAction = new Command(action, $"{action} one of my credentials (default: this phone's), signed by this phone") { reason, target, faceFile };
    walletAction.SetAction(async r =>
    {
        using var wallet = new Wallet(WalletFile.Load(r.GetValue(walletPath)!));
        using var http = GatewayHttp.Create(r.GetValue(gateway)!);
        return await Print(await wallet.ChangeCredentialAsync(http, action, r.GetValue(target) ?? wallet.File.CredentialId!, r.GetValue(reason)!, ReadFace(r.GetValue(faceFile))));
    });
    walletCommand.Add(walletAction);
}

foreach (var locked in new[] { true, false })
{
    var lockCommand = new Command(locked ? "lock" : "unlock", locked ? "Lock my identity: refuse every remote verification" : "Unlock my identity (needs --face)") { reason, faceFile };
    lockCommand.SetAction(async r =>
    {
        using var wallet = new Wallet(WalletFile.Load(r.GetValue(walletPath)!));
        using var http = GatewayHttp.Create(r.GetValue(gateway)!);
        return await Print(await wallet.SetLockedAsync(http, locked, r.GetValue(reason)!, ReadFace(r.GetValue(faceFile))));
    });
    walletCommand.Add(lockCommand);
}

var walletResidence = new Command("residence", "Register where I live (signed by this phone)") { residenceProvince };
walletResidence.SetAction(async r =>
{
    using var wallet = new Wallet(WalletFile.Load(r.GetValue(walletPath)!));
    using var http = GatewayHttp.Create(r.GetValue(gateway)!);
    return await Print(await wallet.RegisterResidenceAsync(http, r.GetValue(residenceProvince)!));
});
walletCommand.Add(walletResidence);

var walletMandate = new Command("mandate", "Mandates I grant: who may be verified on my behalf");
var grantFromPhone = new Command("grant", "Let another citizen act for me for some scopes (needs my live --face)") { delegateIdOption, mandateScopes, validFrom, validUntil, faceFile };
grantFromPhone.SetAction(async r =>
{
    using var wallet = new Wallet(WalletFile.Load(r.GetValue(walletPath)!));
    using var http = GatewayHttp.Create(r.GetValue(gateway)!);
    return await Print(await wallet.GrantMandateAsync(http, r.GetValue(delegateIdOption)!, r.GetValue(mandateScopes)!, ReadFace(r.GetValue(faceFile)), r.GetValue(validFrom), r.GetValue(validUntil)));
});
walletMandate.Add(grantFromPhone);
var listFromPhone = new Command("list", "My mandates");
listFromPhone.SetAction(async r =>
{
    using var wallet = new Wallet(WalletFile.Load(r.GetValue(walletPath)!));
    using var http = GatewayHttp.Create(r.GetValue(gateway)!);
    return await Print(await wallet.ListMandatesAsync(http));
});
walletMandate.Add(listFromPhone);
var revokeFromPhone = new Command("revoke", "End one of my mandates") { mandateId, reason };
revokeFromPhone.SetAction(async r =>
{
    using var wallet = new Wallet(WalletFile.Load(r.GetValue(walletPath)!));
    using var http = GatewayHttp.Create(r.GetValue(gateway)!);
    return await Print(await wallet.RevokeMandateAsync(http, r.GetValue(mandateId)!, r.GetValue(reason)!));
});
walletMandate.Add(revokeFromPhone);
walletCommand.Add(walletMandate);

var walletHistory = new Command("history", "Who verified me, and what happened to my phones");
walletHistory.SetAction(async r =>
{
    using var wallet = new Wallet(WalletFile.Load(r.GetValue(walletPath)!));
    using var http = GatewayHttp.Create(r.GetValue(gateway)!);
    return await Print(await wallet.HistoryAsync(http));
});
walletCommand.Add(walletHistory);
root.Add(walletCommand);

// ---- audit: the access history's hash chains, checked straight from PostgreSQL
var auditCommand = new Command("audit", "Check the access history's hash chains (tamper evidence)");
var auditDb = new Option<string>("--db") { Description = "PostgreSQL connection string of the service's database", Required = true };
var auditDay = new Option<DateOnly?>("--day") { Description = "Only the chains started on this UTC day (yyyy-mm-dd)" };
var auditHeads = new Option<string?>("--heads") { Description = "Chain heads exported earlier (nid audit heads): also finds a cut tail or a deleted chain" };
var auditVerify = new Command("verify", "Recompute every chain; name the first line changed, removed or reordered") { auditDb, auditDay, auditHeads };
auditVerify.SetAction(async r =>
{
    var heads = r.GetValue(auditHeads) is { } file ? NationalId.Client.Audit.AuditVerifier.ReadHeads(file) : null;
    var report = await NationalId.Client.Audit.AuditVerifier.VerifyAsync(r.GetValue(auditDb)!, r.GetValue(auditDay), heads);
    Console.WriteLine($"{report.Chains} chains, {report.Lines} lines checked, {report.Unchained} lines without a chain");
    if (report.FirstBroken is { } broken)
    {
        Console.WriteLine($"BROKEN: chain {broken.ChainId}, line {broken.Sequence}{(broken.EventId is { } e ? $" (event {e})" : string.Empty)}: {broken.Problem}");
        return 1;
    }

    if (report.Unchained > 0)
    {
        Console.WriteLine($"BROKEN: {report.Unchained} lines carry no chain: no writer of the service made them");
        return 1;
    }

    Console.WriteLine("intact");
    return 0;
});
auditCommand.Add(auditVerify);
var headsOut = new Option<string>("--out") { Description = "File to write the heads to (keep it outside the database)", Required = true };
var auditExport = new Command("heads", "Export every chain's head (its last sequence and hash) for safekeeping") { auditDb, auditDay, headsOut };
auditExport.SetAction(async r =>
{
    var report = await NationalId.Client.Audit.AuditVerifier.VerifyAsync(r.GetValue(auditDb)!, r.GetValue(auditDay));
    NationalId.Client.Audit.AuditVerifier.WriteHeads(r.GetValue(headsOut)!, report.Heads);
    Console.WriteLine($"{report.Heads.Count} chain heads written to {r.GetValue(headsOut)}{(report.Intact ? string.Empty : " (the chains are already broken: run nid audit verify)")}");
    return report.Intact ? 0 : 1;
});
auditCommand.Add(auditExport);
root.Add(auditCommand);

// ---- authority: the registration authority opens statutory registrations with its private key
var authorityCommand = new Command("authority", "The registration authority's tools");
var authorityKeyFile = new Option<string>("--key") { Description = "File with the authority's X25519 private key (base64); dev: .data/authority-private.key", Required = true };
var authorityKeyId = new Option<uint>("--key-id") { DefaultValueFactory = _ => 1 };
var authorityOpen = new Command("open", "Print the statutory registrations (hotel check-ins, train boardings) sealed to the authority") { auditDb, auditDay, authorityKeyFile, authorityKeyId };
authorityOpen.SetAction(async r =>
{
    using var key = NationalId.Client.Audit.AuthorityReader.ImportPrivateKey(File.ReadAllText(r.GetValue(authorityKeyFile)!));
    var registrations = await NationalId.Client.Audit.AuthorityReader.OpenAsync(r.GetValue(auditDb)!, key, r.GetValue(authorityKeyId), r.GetValue(auditDay));
    foreach (var registration in registrations)
    {
        Console.WriteLine(JsonSerializer.Serialize(registration, ApiClientJson.Options));
    }

    Console.Error.WriteLine($"{registrations.Count} registrations");
    return 0;
});
authorityCommand.Add(authorityOpen);
root.Add(authorityCommand);

// ---- terminal
var terminalCommand = new Command("terminal", "A relying party's terminal, simulated");
var apiKey = new Option<string>("--api-key") { Description = "The RP's API key; env NID_API_KEY", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NID_API_KEY") ?? string.Empty };
var scope = new Option<string>("--scope") { Required = true };
var qrPng = new Option<string?>("--png") { Description = "Scanned QR image" };
var qrText = new Option<string?>("--text") { Description = "Scanned QR text (instead of --png)" };
var matchAttribute = new Option<string?>("--match-attribute");
var matchValue = new Option<string?>("--match-value");
var onBehalfOf = new Option<string?>("--on-behalf-of") { Description = "The principal's ID number, when the person shows their own QR under the principal's mandate" };
var verify = new Command("verify", "Verify a scanned QR (phone or printed card) for a scope") { apiKey, scope, qrPng, qrText, faceFile, matchAttribute, matchValue, onBehalfOf };
verify.SetAction(async r =>
{
    var text = r.GetValue(qrText) ?? (r.GetValue(qrPng) is { } file ? QrImages.ReadPng(File.ReadAllBytes(file)) : null);
    if (text is null)
    {
        Console.Error.WriteLine("No QR: give --png or --text (or the PNG held no QR code).");
        return 2;
    }

    var match = r.GetValue(matchAttribute) is { } attribute ? new MatchInput(attribute, r.GetValue(matchValue)) : null;
    using var http = GatewayHttp.Create(r.GetValue(gateway)!);
    return await Print(await http.VerifyAsync(r.GetValue(apiKey)!, new VerificationRequest(r.GetValue(scope), text, ReadFace(r.GetValue(faceFile)), match, r.GetValue(onBehalfOf))));
});
terminalCommand.Add(verify);

var inPerson = new Command("in-person", "Verify someone without a phone at a counter: the ID number from their card and their live face") { apiKey, scope, idNumber, faceFile, matchAttribute, matchValue };
inPerson.SetAction(async r =>
{
    var match = r.GetValue(matchAttribute) is { } attribute ? new MatchInput(attribute, r.GetValue(matchValue)) : null;
    using var http = GatewayHttp.Create(r.GetValue(gateway)!);
    using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications/in-person")
    {
        Content = GatewayHttp.Json(new InPersonVerificationRequest(r.GetValue(scope), r.GetValue(idNumber), ReadFace(r.GetValue(faceFile)), match)),
    };
    request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", r.GetValue(apiKey));
    return await Print(await http.SendAsync(request));
});
terminalCommand.Add(inPerson);
root.Add(terminalCommand);

// ---- load: closed-loop verifications through the gateway (the national-peak load tester grows from here)
var citizens = new Option<int>("--citizens") { DefaultValueFactory = _ => 200 };
var requests = new Option<int>("--requests") { DefaultValueFactory = _ => 20_000 };
var concurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 32 };
var jsonOut = new Option<string?>("--json") { Description = "Also write the report as JSON here" };
var rate = new Option<double>("--rate") { Description = "Open loop at this many requests per second (default: closed loop)", DefaultValueFactory = _ => 0 };
var clusterConnection = new Option<string?>("--cluster-db") { Description = "PostgreSQL connection string of the cluster (for --target direct)" };
var clusterId = new Option<string>("--cluster-id") { DefaultValueFactory = _ => "national-id-local" };
var reportDir = new Option<string?>("--report-dir") { Description = "Write report.md, report.json and PNG charts here" };
var warmup = new Option<int>("--warmup") { Description = "Unmeasured verifications before each measured phase", DefaultValueFactory = _ => 0 };
var targets = new Option<string[]>("--target") { Description = "grains (HTTP, default), direct (Orleans client, needs --cluster-db) and/or central (the central-table baseline)", AllowMultipleArgumentsPerToken = true };
var servicePids = new Option<int[]>("--service-pid") { Description = "Processes (with their children) whose CPU counts as the service's (Linux)", AllowMultipleArgumentsPerToken = true };
var load = new Command("load", "Enroll citizens, make QR codes, then verify them through the gateway and report throughput and latency")
{
    operatorKey, citizens, requests, concurrency, jsonOut, servicePids, targets, warmup, rate, reportDir, clusterConnection, clusterId,
};
load.SetAction(async r =>
{
    var reports = await NationalId.Client.Load.VerificationLoad.RunAsync(
        new NationalId.Client.Load.LoadOptions(new Uri(r.GetValue(gateway)!), r.GetValue(operatorKey)!, r.GetValue(citizens), r.GetValue(requests), r.GetValue(concurrency))
        {
            ServicePids = r.GetValue(servicePids) ?? [],
            Targets = r.GetValue(targets) ?? [],
            Warmup = r.GetValue(warmup),
            Rate = r.GetValue(rate),
            ClusterConnectionString = r.GetValue(clusterConnection),
            ClusterId = r.GetValue(clusterId)!,
        },
        Console.Error);
    foreach (var report in reports)
    {
        Console.WriteLine(report.ToMarkdown());
    }

    if (r.GetValue(jsonOut) is { } file)
    {
        File.WriteAllText(file, JsonSerializer.Serialize(reports, ApiClientJson.Options));
    }

    if (r.GetValue(reportDir) is { } dir)
    {
        NationalId.Client.Load.ReportFiles.Write(dir, "nid load", reports);
    }

    return reports.All(x => x.Errors == 0) ? 0 : 1;
});
root.Add(load);

var walletsFile = new Option<string?>("--wallets") { Description = "A population seeded by 'nid seed' (instead of enrolling one now)" };
var seedCitizens = new Option<int>("--citizens") { Description = "How many citizens to seed", DefaultValueFactory = _ => 100_000 };
var seedOut = new Option<string>("--out") { Description = "Wallet file to write", Required = true };
var seedValue = new Option<int>("--seed") { Description = "Population seed (another seed makes other people)", DefaultValueFactory = _ => 2026 };
var seedConcurrency = new Option<int>("--concurrency") { DefaultValueFactory = _ => 32 };
var seedCommand = new Command("seed", "Enroll a population (census-weighted provinces) through the APIs and keep its phones in a file for scenario runs")
{
    operatorKey, seedCitizens, seedOut, seedValue, seedConcurrency,
};
seedCommand.SetAction(async r =>
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = r.GetValue(seedConcurrency) };
    using var http = new HttpClient(handler) { BaseAddress = new Uri(r.GetValue(gateway)!), Timeout = TimeSpan.FromSeconds(60) };
    using var store = new NationalId.Client.Load.WalletStore.Writer(r.GetValue(seedOut)!);
    var plan = new NationalId.Client.Load.PopulationPlan(r.GetValue(seedValue));
    var seeded = await NationalId.Client.Load.PopulationSeeder.SeedAsync(
        http, r.GetValue(operatorKey)!, plan.Citizens(r.GetValue(seedCitizens)), r.GetValue(seedConcurrency), store.Add, Console.Error);
    Console.WriteLine($"{seeded} citizens seeded into {r.GetValue(seedOut)}");
    return seeded > 0 ? 0 : 1;
});
root.Add(seedCommand);

var scenarioFile = new Argument<string>("file") { Description = "A scenario file, e.g. Client/Scenarios/spring-festival.json" };
var scenarioCommand = new Command("scenario", "Run a load scenario (population by province, scope mix, cross-province share, hot and cold citizens)")
{
    scenarioFile, operatorKey, jsonOut, servicePids, warmup, reportDir, walletsFile,
};
scenarioCommand.SetAction(async r =>
{
    var scenario = NationalId.Client.Load.Scenario.Load(r.GetValue(scenarioFile)!);
    var report = await NationalId.Client.Load.ScenarioRun.RunAsync(
        new Uri(r.GetValue(gateway)!), r.GetValue(operatorKey)!, scenario, r.GetValue(servicePids) ?? [], r.GetValue(warmup), Console.Error, walletStore: r.GetValue(walletsFile),
        management: r.GetValue(management) is { } m ? new Uri(m) : null);
    Console.WriteLine(report.ToMarkdown());
    Console.WriteLine($"cross-province verifications: {report.CrossProvince} of {report.Requests}; rejections: {string.Join(", ", report.RejectionsByReason.Select(kv => $"{kv.Key} {kv.Value}"))}");
    if (r.GetValue(jsonOut) is { } file)
    {
        File.WriteAllText(file, JsonSerializer.Serialize(report, ApiClientJson.Options));
    }

    if (r.GetValue(reportDir) is { } dir)
    {
        NationalId.Client.Load.ReportFiles.Write(dir, $"scenario {scenario.Name}", [report]);
    }

    return report.Errors == 0 ? 0 : 1;
});
root.Add(scenarioCommand);

var grainBench = new Command("grain-bench", "Memory per active citizen grain and cold vs. warm verification latency") { operatorKey, citizens, concurrency };
grainBench.SetAction(async r =>
{
    var result = await NationalId.Client.Load.GrainBench.RunAsync(new Uri(r.GetValue(gateway)!), r.GetValue(operatorKey)!, r.GetValue(citizens), r.GetValue(concurrency), Console.Error,
        r.GetValue(management) is { } m ? new Uri(m) : null);
    Console.WriteLine(result.ToMarkdown());
});
root.Add(grainBench);

var oracleSamples = new Option<int>("--samples") { DefaultValueFactory = _ => 1000 };
var oracleBench = new Command("oracle-bench", "Remote binding with a wrong face: latency for enrolled vs. unknown ID numbers (an enrollment oracle?)") { operatorKey, oracleSamples };
oracleBench.SetAction(async r => Console.WriteLine((await NationalId.Client.Load.OracleBench.RunAsync(
    new Uri(r.GetValue(gateway)!), r.GetValue(operatorKey)!, r.GetValue(oracleSamples), Console.Error)).ToMarkdown()));
root.Add(oracleBench);

var cryptoBench = new Command("crypto-bench", "Presentations per core-second doing only decryption and signature check (our code)");
cryptoBench.SetAction(_ => Console.WriteLine(NationalId.Client.Load.CryptoBench.ToMarkdown(NationalId.Client.Load.CryptoBench.Run(TimeSpan.FromSeconds(3)))));
root.Add(cryptoBench);

return await root.Parse(args).InvokeAsync();

static FaceInput? ReadFace(string? path) =>
    path is null ? null : JsonSerializer.Deserialize<FaceInput>(File.ReadAllText(path), ApiClientJson.Options);

static async Task<int> Print(HttpResponseMessage response)
{
    var body = await response.Content.ReadAsStringAsync();
    Console.WriteLine($"HTTP {(int)response.StatusCode}");
    if (body.Length > 0)
    {
        Console.WriteLine(ApiClientJson.Pretty(body));
    }

    return response.IsSuccessStatusCode ? 0 : 1;
}
