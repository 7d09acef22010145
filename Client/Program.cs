using System.CommandLine;
using NationalId.Client.Commands;

// nid: the NationalId command line. Wallet and terminal simulators, operator shortcuts, demo faces.
// The commands are in Commands/, one file per audience; the options several of them take are in CliOptions.
var cli = new CliOptions();
var root = new RootCommand("NationalId command line: wallet and terminal simulators, operator shortcuts") { cli.Gateway, cli.Management };

// The order here is the order of the help's command list.
root.Add(FaceCommands.Create());
root.Add(OperatorCommands.Create(cli));
root.Add(WalletCommands.Create(cli));
foreach (var command in AuditCommands.Create())
{
    root.Add(command);
}

root.Add(TerminalCommands.Create(cli));
foreach (var command in BenchCommands.Create(cli))
{
    root.Add(command);
}

return await root.Parse(args).InvokeAsync();
