using Microsoft.Extensions.Logging.Abstractions;
using NationalId.Security;
using NationalId.Silo.Database;
using NationalId.Silo.Officers;
using NationalId.Tests.EndToEnd;
using OtpNet;

namespace NationalId.Tests.Officers;

/// <summary>Officer accounts in PostgreSQL: sign-in with password and code, each code once, lockout, the audit of it.</summary>
public sealed class OfficerDirectoryTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private Npgsql.NpgsqlDataSource _dataSource = null!;
    private OfficerDirectory _directory = null!;
    private readonly Support.ManualClock _clock = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        await SchemaMigrator.ApplyAsync(_database.ConnectionString, Path.Combine(AppContext.BaseDirectory, "sql"), NullLogger.Instance);
        _dataSource = Npgsql.NpgsqlDataSource.Create(_database.ConnectionString);
        var protector = new CitizenDataProtector(Microsoft.Extensions.Options.Options.Create(new NationalIdOptions
        {
            MasterKeys = [new MasterKeyOptions { Id = 3, Key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) }],
            CurrentMasterKeyId = 3,
        }));
        _directory = new OfficerDirectory(_dataSource, protector, _clock, passwordIterations: 1_000);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static byte[] SecretOf(NewOfficer officer) =>
        Base32Encoding.ToBytes(officer.TotpEnrollmentUri.Split("secret=")[1].Split('&')[0]);

    [Fact]
    public async Task An_officer_signs_in_with_password_and_code_and_each_code_works_once()
    {
        var hall = await _directory.CreateHallAsync("Tianhe service hall", "44");
        var created = await _directory.CreateOfficerAsync("Li.Na", hall, [OfficerRoles.CounterOfficer, OfficerRoles.Supervisor], "tianhe hall 2026");
        var code = OfficerTotp.Code(SecretOf(created), _clock.GetUtcNow());

        var (outcome, officer) = await _directory.SignInAsync("li.na", "tianhe hall 2026", code);
        Assert.Equal(SignInOutcome.SignedIn, outcome);
        Assert.Equal(created.OfficerId, officer!.OfficerId);
        Assert.Equal(hall, officer.HallId);
        Assert.Equal([OfficerRoles.CounterOfficer, OfficerRoles.Supervisor], officer.Roles);

        Assert.Equal(SignInOutcome.Refused, (await _directory.SignInAsync("li.na", "tianhe hall 2026", code)).Outcome);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(SignInOutcome.SignedIn, (await _directory.SignInAsync("LI.NA", "tianhe hall 2026", OfficerTotp.Code(SecretOf(created), _clock.GetUtcNow()))).Outcome);
    }

    [Fact]
    public async Task Five_failures_lock_an_account_and_the_auditor_sees_each_attempt_without_secrets()
    {
        var hall = await _directory.CreateHallAsync("Xuhui service hall", "31");
        var created = await _directory.CreateOfficerAsync("wang.fang", hall, [OfficerRoles.HotlineAgent], "xuhui hall 2026!");
        for (var i = 0; i < OfficerSignIn.MaxFailures; i++)
        {
            Assert.NotEqual(SignInOutcome.SignedIn, (await _directory.SignInAsync("wang.fang", "wrong password " + i, "123456")).Outcome);
        }

        var right = OfficerTotp.Code(SecretOf(created), _clock.GetUtcNow());
        Assert.Equal(SignInOutcome.Locked, (await _directory.SignInAsync("wang.fang", "xuhui hall 2026!", right)).Outcome);
        Assert.Equal(SignInOutcome.Refused, (await _directory.SignInAsync("no.such.officer", "xuhui hall 2026!", right)).Outcome);

        var events = await _directory.EventsAsync(created.OfficerId, 20);
        Assert.Equal(["sign_in_locked", "sign_in_locked", "sign_in_refused", "sign_in_refused", "sign_in_refused", "sign_in_refused", "account_created"], events.Select(e => e.Kind));
        var everything = string.Join("|", (await _directory.EventsAsync(null, 100)).Select(e => $"{e.OfficerId} {e.Kind} {e.Detail}"));
        Assert.DoesNotContain("no.such.officer", everything);
        Assert.DoesNotContain("xuhui hall 2026!", everything);
        Assert.DoesNotContain("wrong password", everything);
    }

    [Fact]
    public async Task The_second_factor_is_sealed_at_rest()
    {
        var hall = await _directory.CreateHallAsync("Jinjiang service hall", "51");
        var created = await _directory.CreateOfficerAsync("zhao.lei", hall, [OfficerRoles.Auditor], "jinjiang hall 26");
        var secret = SecretOf(created);
        var stored = await _database.CountAsync($"SELECT count(*) FROM officers WHERE position(decode('{Convert.ToHexString(secret)}', 'hex') in totp_secret) > 0");
        Assert.Equal(0, stored);
        Assert.Equal(1, await _database.CountAsync($"SELECT count(*) FROM officers WHERE officer_id = '{created.OfficerId}' AND password_hash LIKE 'pbkdf2-sha256$1000$%'"));
    }

    [Theory]
    [InlineData("ab", OfficerRoles.CounterOfficer, "long enough password")]
    [InlineData("li na", OfficerRoles.CounterOfficer, "long enough password")]
    [InlineData("li.na2", "king", "long enough password")]
    [InlineData("li.na3", OfficerRoles.CounterOfficer, "short")]
    public async Task Accounts_the_rules_refuse_are_not_created(string login, string role, string password)
    {
        var hall = await _directory.CreateHallAsync("Any hall", "11");
        await Assert.ThrowsAsync<ArgumentException>(() => _directory.CreateOfficerAsync(login, hall, [role], password));
        Assert.Equal(0, await _database.CountAsync("SELECT count(*) FROM officers"));
    }
}
