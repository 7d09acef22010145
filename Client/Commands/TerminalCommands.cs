using System.CommandLine;
using NationalId.Api;
using NationalId.Client.Qr;
using static NationalId.Client.Commands.CliOptions;

namespace NationalId.Client.Commands;

/// <summary><c>nid terminal</c>: a relying party's terminal, simulated; it calls the gateway with the RP's API key.</summary>
public static class TerminalCommands
{
    public static Command Create(CliOptions cli)
    {
        var terminalCommand = new Command("terminal", "A relying party's terminal, simulated");
        var apiKey = new Option<string>("--api-key") { Description = "The RP's API key; env NID_API_KEY", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NID_API_KEY") ?? string.Empty };
        var scope = new Option<string>("--scope") { Required = true };
        var qrPng = new Option<string?>("--png") { Description = "Scanned QR image" };
        var qrText = new Option<string?>("--text") { Description = "Scanned QR text (instead of --png)" };
        var matchAttribute = new Option<string?>("--match-attribute");
        var matchValue = new Option<string?>("--match-value");
        var onBehalfOf = new Option<string?>("--on-behalf-of") { Description = "The principal's ID number, when the person shows their own QR under the principal's mandate" };
        var verify = new Command("verify", "Verify a scanned QR (phone or printed card) for a scope") { apiKey, scope, qrPng, qrText, cli.FaceFile, matchAttribute, matchValue, onBehalfOf };
        verify.SetAction(async r =>
        {
            var text = r.GetValue(qrText) ?? (r.GetValue(qrPng) is { } file ? QrImages.ReadPng(File.ReadAllBytes(file)) : null);
            if (text is null)
            {
                Console.Error.WriteLine("No QR: give --png or --text (or the PNG held no QR code).");
                return 2;
            }

            var match = r.GetValue(matchAttribute) is { } attribute ? new MatchInput(attribute, r.GetValue(matchValue)) : null;
            using var http = cli.GatewayClient(r);
            return await Print(await http.VerifyAsync(r.GetValue(apiKey)!, new VerificationRequest(r.GetValue(scope), text, ReadFace(r.GetValue(cli.FaceFile)), match, r.GetValue(onBehalfOf))));
        });
        terminalCommand.Add(verify);

        var inPerson = new Command("in-person", "Verify someone without a phone at a counter: the ID number from their card and their live face") { apiKey, scope, cli.IdNumber, cli.FaceFile, matchAttribute, matchValue };
        inPerson.SetAction(async r =>
        {
            var match = r.GetValue(matchAttribute) is { } attribute ? new MatchInput(attribute, r.GetValue(matchValue)) : null;
            using var http = cli.GatewayClient(r);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications/in-person")
            {
                Content = GatewayHttp.Json(new InPersonVerificationRequest(r.GetValue(scope), r.GetValue(cli.IdNumber), ReadFace(r.GetValue(cli.FaceFile)), match)),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", r.GetValue(apiKey));
            return await Print(await http.SendAsync(request));
        });
        terminalCommand.Add(inPerson);
        return terminalCommand;
    }
}
