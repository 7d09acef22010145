using System.CommandLine;
using System.Text.Json;
using NationalId.Api;

namespace NationalId.Client.Commands;

/// <summary>
/// The options more than one audience's commands take (each is one instance, added to every command that takes it), and
/// the helpers they share: the gateway's HttpClient, a face file, a gateway response printed.
/// </summary>
public sealed class CliOptions
{
    public Option<string> Gateway { get; } = new("--gateway") { Description = "Gateway base URL", DefaultValueFactory = _ => "http://127.0.0.1:8080", Recursive = true };

    public Option<string?> Management { get; } = new("--management") { Description = "The silo's management listener (Gateway:ManagementUrls), for diagnostics; default: the gateway", Recursive = true };

    public Option<string> WalletPath { get; } = new("--wallet") { Description = "Wallet file (the simulated phone)", DefaultValueFactory = _ => "wallet.json", Recursive = true };

    public Option<string> IdNumber { get; } = new("--id-number") { Description = "Resident ID number", Required = true };

    public Option<string> OperatorKey { get; } = new("--operator-key") { Description = "Operator key (X-Operator-Key); env NID_OPERATOR_KEY", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("NID_OPERATOR_KEY") ?? string.Empty };

    public Option<string?> FaceFile { get; } = new("--face") { Description = "Face file made by 'nid face'" };

    public Option<string> Reason { get; } = new("--reason") { Required = true };

    public Option<string> ResidenceProvince { get; } = new("--province") { Description = "Two-digit code of the province lived in, e.g. 44", Required = true };

    // Mandates: granted at a counter (operator mandate) or from the principal's phone (wallet mandate).
    public Option<string> DelegateId { get; } = new("--delegate") { Description = "The delegate's (or guardian's) ID number", Required = true };

    public Option<string[]> MandateScopes { get; } = new("--scope") { Description = "Scope(s) the mandate covers", Required = true, AllowMultipleArgumentsPerToken = true };

    public Option<DateTimeOffset?> ValidFrom { get; } = new("--from") { Description = "Start (ISO 8601); default now" };

    public Option<DateTimeOffset?> ValidUntil { get; } = new("--until") { Description = "End (ISO 8601); default 5 years, a guardianship ends at 16" };

    public Option<string> MandateId { get; } = new("--mandate-id") { Required = true };

    /// <summary>A client of the gateway named by --gateway (plain HTTP calls, 30 s timeout).</summary>
    public HttpClient GatewayClient(ParseResult r) => GatewayHttp.Create(r.GetValue(Gateway)!);

    public Uri GatewayUri(ParseResult r) => new(r.GetValue(Gateway)!);

    /// <summary>The --management listener, or null for the gateway's.</summary>
    public Uri? ManagementUri(ParseResult r) => r.GetValue(Management) is { } m ? new Uri(m) : null;

    public static FaceInput? ReadFace(string? path) =>
        path is null ? null : JsonSerializer.Deserialize<FaceInput>(File.ReadAllText(path), ApiClientJson.Options);

    /// <summary>Prints the status and the (indented) body; the exit code is 0 for a success status, else 1.</summary>
    public static async Task<int> Print(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Console.WriteLine($"HTTP {(int)response.StatusCode}");
        if (body.Length > 0)
        {
            Console.WriteLine(ApiClientJson.Pretty(body));
        }

        return response.IsSuccessStatusCode ? 0 : 1;
    }
}
