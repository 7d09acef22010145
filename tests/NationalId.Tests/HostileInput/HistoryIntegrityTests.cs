using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NationalId.Client.Audit;
using NationalId.Errors;
using NationalId.History;
using NationalId.Silo.Database;
using NationalId.Telemetry;
using NationalId.Tests.EndToEnd;
using Npgsql;

namespace NationalId.Tests.HostileInput;

/// <summary>
/// The history in real PostgreSQL against someone who can write its tables, and against two activations of one
/// citizen: the audit chain is the only truth, and a QR is used once even when two grains each think it is new.
/// </summary>
public sealed class HistoryIntegrityTests : IAsyncLifetime
{
    private const string Handle = "c44-integrityintegrityintegrityinte";
    private PostgresDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private ServiceProvider _services = null!;
    private readonly List<PostgresAccessHistory> _writers = [];

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        await SchemaMigrator.ApplyAsync(_database.ConnectionString, Path.Combine(AppContext.BaseDirectory, "sql"), NullLogger.Instance);
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        foreach (var writer in _writers)
        {
            await writer.StopAsync(CancellationToken.None);
        }

        await _dataSource.DisposeAsync();
        await _services.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>A history writer as one silo has it; two of them are two silos.</summary>
    private async Task<PostgresAccessHistory> WriterAsync()
    {
        var writer = new PostgresAccessHistory(
            _dataSource, new NationalIdMetrics(_services.GetRequiredService<IMeterFactory>()), Options.Create(new HistoryOptions()), NullLogger<PostgresAccessHistory>.Instance);
        await writer.StartAsync(CancellationToken.None);
        _writers.Add(writer);
        return writer;
    }

    private static HistoryRecord Verification(byte[] nonce, DateTimeOffset issuedAt, string? note = null)
    {
        var now = DateTimeOffset.UtcNow;
        return new HistoryRecord(Guid.CreateVersion7(now), now, Handle, HistoryKind.Verification, [1, 2, 3], nonce, "rp-44-aaaaaaaaaaaaaaaa",
            "bank.account", true, null, 2, ["name", "id_number"], "44", false, Note: note, PresentationIssuedAt: issuedAt);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_line_without_its_chain_cannot_be_written()
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(
            $"INSERT INTO access_history (event_id, recorded_at, citizen_handle, kind, relying_party_id, verified) VALUES ('{Guid.CreateVersion7()}', now(), '{Handle}', 'verification', 'rp-44-bbbbbbbbbbbbbbbb', true)"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
    }

    [Fact]
    public async Task A_line_slipped_in_without_a_chain_is_never_read_and_the_audit_calls_it_tampering()
    {
        var history = await WriterAsync();
        await history.AppendAsync(Verification(RandomNumberGenerator.GetBytes(16), DateTimeOffset.UtcNow));

        // Someone with the table owner's rights lifts the check and inserts a line: a verification by an RP the citizen
        // never met (it would join the citizen's event audience), with a nonce (it would feed the replay window).
        await ExecuteAsync("ALTER TABLE access_history DROP CONSTRAINT access_history_chained");
        await ExecuteAsync(
            $"INSERT INTO access_history (event_id, recorded_at, citizen_handle, kind, presentation_nonce, relying_party_id, verified, note) " +
            $"VALUES ('{Guid.CreateVersion7()}', now(), '{Handle}', 'verification', '\\x00112233445566778899aabbccddeeff', 'rp-44-forgedforgedforge', true, 'forged')");

        Assert.DoesNotContain(await history.ReadCitizenAsync(Handle, null, 100), r => r.Note == "forged");
        Assert.DoesNotContain("rp-44-forgedforgedforge", await history.RelyingPartiesThatVerifiedAsync(Handle, DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.Empty(await history.ReadRelyingPartyAsync("rp-44-forgedforgedforge", null, 100));
        Assert.Single(await history.RecentNoncesAsync(Handle, DateTimeOffset.UtcNow.AddHours(-1)));

        var report = await AuditVerifier.VerifyAsync(_database.ConnectionString);
        Assert.Equal(1, report.Unchained);
        Assert.False(report.Intact);
    }

    [Fact]
    public async Task A_nonce_consumed_through_one_silo_is_answered_replayed_through_another()
    {
        // Two writers are two silos, each with an activation of the same citizen whose memory has not seen the QR.
        var north = await WriterAsync();
        var south = await WriterAsync();
        for (var i = 0; i < 20; i++)
        {
            var nonce = RandomNumberGenerator.GetBytes(16);
            var issued = DateTimeOffset.UtcNow;
            var results = await Task.WhenAll(north.AppendAsync(Verification(nonce, issued)), south.AppendAsync(Verification(nonce, issued)));
            var replayed = Assert.Single(results, r => r is not null)!;
            Assert.Equal(RejectionReason.Replayed, replayed.Reason);
            Assert.False(replayed.Verified);
            Assert.Empty(replayed.DisclosedAttributes!);
            Assert.Null(replayed.PresentationNonce);
        }

        var lines = await north.ReadCitizenAsync(Handle, null, 100);
        Assert.Equal(20, lines.Count(r => r.Verified == true));
        Assert.Equal(20, lines.Count(r => r.Reason == RejectionReason.Replayed));
        Assert.True((await AuditVerifier.VerifyAsync(_database.ConnectionString)).Intact);
    }

    [Fact]
    public async Task One_record_the_database_refuses_costs_only_its_own_answer_in_a_group_commit()
    {
        var history = await WriterAsync();
        var good = Enumerable.Range(0, 40).Select(_ => Verification(RandomNumberGenerator.GetBytes(16), DateTimeOffset.UtcNow)).ToList();
        var bad = Verification(RandomNumberGenerator.GetBytes(16), DateTimeOffset.UtcNow, note: "lost\0phone"); // text PostgreSQL cannot store
        var writes = good.Select(r => history.AppendAsync(r)).Append(history.AppendAsync(bad)).Concat(good.Select(_ => history.AppendAsync(Verification(RandomNumberGenerator.GetBytes(16), DateTimeOffset.UtcNow)))).ToList();

        await Assert.ThrowsAsync<HistoryRejectedException>(() => writes[good.Count]);
        foreach (var write in writes.Where((_, i) => i != good.Count))
        {
            Assert.Null(await write);
        }

        Assert.Equal(80, (await history.ReadCitizenAsync(Handle, null, 100)).Count);
        Assert.True((await AuditVerifier.VerifyAsync(_database.ConnectionString)).Intact);
    }
}
