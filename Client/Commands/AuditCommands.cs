using System.CommandLine;
using System.Text.Json;
using NationalId.Client.Audit;

namespace NationalId.Client.Commands;

/// <summary>
/// <c>nid audit</c> and <c>nid authority</c>: read straight from the service's PostgreSQL, not through the gateway.
/// </summary>
public static class AuditCommands
{
    /// <summary>The audit and authority commands, in that order.</summary>
    public static Command[] Create()
    {
        var auditDb = new Option<string[]>("--db")
        {
            Description = "PostgreSQL connection string of a database holding history: the national one unsharded, else every citizen shard (repeat --db)",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var auditDay = new Option<DateOnly?>("--day") { Description = "Only the chains started on this UTC day (yyyy-mm-dd)" };
        return [AuditCommand(auditDb, auditDay), AuthorityCommand(auditDb, auditDay)];
    }

    // ---- audit: the access history's hash chains, checked straight from PostgreSQL
    private static Command AuditCommand(Option<string[]> auditDb, Option<DateOnly?> auditDay)
    {
        var auditCommand = new Command("audit", "Check the access history's hash chains (tamper evidence)");
        var auditHeads = new Option<string?>("--heads") { Description = "Chain heads exported earlier (nid audit heads): also finds a cut tail or a deleted chain" };
        var auditVerify = new Command("verify", "Recompute every chain; name the first line changed, removed or reordered") { auditDb, auditDay, auditHeads };
        auditVerify.SetAction(async r =>
        {
            var heads = r.GetValue(auditHeads) is { } file ? AuditVerifier.ReadHeads(file) : null;
            var report = await AuditVerifier.VerifyAsync(r.GetValue(auditDb)!, r.GetValue(auditDay), heads);
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
            var report = await AuditVerifier.VerifyAsync(r.GetValue(auditDb)!, r.GetValue(auditDay));
            AuditVerifier.WriteHeads(r.GetValue(headsOut)!, report.Heads);
            Console.WriteLine($"{report.Heads.Count} chain heads written to {r.GetValue(headsOut)}{(report.Intact ? string.Empty : " (the chains are already broken: run nid audit verify)")}");
            return report.Intact ? 0 : 1;
        });
        auditCommand.Add(auditExport);
        return auditCommand;
    }

    // ---- authority: the registration authority opens statutory registrations with its private key
    private static Command AuthorityCommand(Option<string[]> auditDb, Option<DateOnly?> auditDay)
    {
        var authorityCommand = new Command("authority", "The registration authority's tools");
        var authorityKeyFile = new Option<string>("--key") { Description = "File with the authority's X25519 private key (base64); dev: .data/authority-private.key", Required = true };
        var authorityKeyId = new Option<uint>("--key-id") { DefaultValueFactory = _ => 1 };
        var authorityOpen = new Command("open", "Print the statutory registrations (hotel check-ins, train boardings) sealed to the authority") { auditDb, auditDay, authorityKeyFile, authorityKeyId };
        authorityOpen.SetAction(async r =>
        {
            using var key = AuthorityReader.ImportPrivateKey(File.ReadAllText(r.GetValue(authorityKeyFile)!));
            var registrations = await AuthorityReader.OpenAsync(r.GetValue(auditDb)!, key, r.GetValue(authorityKeyId), r.GetValue(auditDay));
            foreach (var registration in registrations)
            {
                Console.WriteLine(JsonSerializer.Serialize(registration, ApiClientJson.Options));
            }

            Console.Error.WriteLine($"{registrations.Count} registrations");
            return 0;
        });
        authorityCommand.Add(authorityOpen);
        return authorityCommand;
    }
}
