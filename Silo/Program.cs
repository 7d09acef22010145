using NationalId.Silo.Hosting;

// One silo with the HTTP gateway and /metrics. Configuration: appsettings.json, environment (NationalId__*,
// ConnectionStrings__NationalId, Orleans__*, Gateway__*), command line. ./run.sh sets everything for one machine.
var app = await NationalIdSilo.BuildAsync(args);
await app.RunAsync();
