using System.Text.RegularExpressions;
using NationalId.Security;
using Npgsql;
using NpgsqlTypes;

namespace NationalId.Silo.Officers;

/// <summary>An officer as the rest of the service knows them: the pseudonymous id, the hall, the roles.</summary>
public sealed record Officer(string OfficerId, string HallId, IReadOnlyList<string> Roles);

/// <summary>A new officer account: the id, and the TOTP enrollment URI, shown once to the officer and never stored in clear.</summary>
public sealed record NewOfficer(string OfficerId, string TotpEnrollmentUri);

/// <summary>
/// Service halls and officer accounts in the national database (deploy/sql/030_officers.sql), and the sign-in check
/// over them (<see cref="OfficerSignIn"/>), every outcome recorded in <c>officer_events</c>. Not yet behind an
/// endpoint: the OpenIddict server that will call <see cref="SignInAsync"/> is the next step of issue 15.
/// </summary>
public sealed partial class OfficerDirectory(NpgsqlDataSource national, CitizenDataProtector protector, TimeProvider clock, int passwordIterations = OfficerPasswords.Iterations)
{
    // An unknown login costs the same PBKDF2 work as a known one, so timing does not tell which logins exist.
    private readonly Lazy<string> _dummyHash = new(() => OfficerPasswords.Hash("no such officer: dummy", passwordIterations));

    public async Task<string> CreateHallAsync(string name, string province, CancellationToken cancellationToken = default)
    {
        var hallId = OfficerIds.NewHall();
        await using var command = national.CreateCommand("INSERT INTO service_halls (hall_id, name, province) VALUES ($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = hallId });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = province });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return hallId;
    }

    /// <summary>Creates an account; throws <see cref="ArgumentException"/> for a login, roles or password the rules refuse.</summary>
    public async Task<NewOfficer> CreateOfficerAsync(string login, string hallId, IReadOnlyList<string> roles, string password, CancellationToken cancellationToken = default)
    {
        login = NormalizedLogin(login) ?? throw new ArgumentException("A login is 3 to 64 of a-z, 0-9, '.', '_' and '-'.", nameof(login));
        if (roles.Count == 0 || roles.Any(r => !OfficerRoles.All.Contains(r)))
        {
            throw new ArgumentException($"Roles are one or more of {string.Join(", ", OfficerRoles.All)}.", nameof(roles));
        }

        if (OfficerPasswords.Problem(password) is { } weak)
        {
            throw new ArgumentException($"The password needs {weak}.", nameof(password));
        }

        var officerId = OfficerIds.New();
        var secret = OfficerTotp.NewSecret();
        var (keyId, sealedSecret) = protector.SealSecret(secret, TotpPurpose(officerId));
        await using var command = national.CreateCommand(
            "INSERT INTO officers (officer_id, login, hall_id, roles, password_hash, totp_secret, totp_secret_kid) VALUES ($1, $2, $3, $4, $5, $6, $7)");
        command.Parameters.Add(new NpgsqlParameter { Value = officerId });
        command.Parameters.Add(new NpgsqlParameter { Value = login });
        command.Parameters.Add(new NpgsqlParameter { Value = hallId });
        command.Parameters.Add(new NpgsqlParameter { Value = roles.Distinct().Order(StringComparer.Ordinal).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = OfficerPasswords.Hash(password, passwordIterations) });
        command.Parameters.Add(new NpgsqlParameter { Value = sealedSecret });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)keyId });
        await command.ExecuteNonQueryAsync(cancellationToken);
        await RecordAsync(officerId, hallId, "account_created", string.Join(",", roles), cancellationToken);
        return new NewOfficer(officerId, OfficerTotp.EnrollmentUri(secret, officerId));
    }

    /// <summary>
    /// Password, then the code, with lockout; the account's counters and used code step are stored in the same
    /// statement that checks no other sign-in used that step meanwhile (two silos, one code: one wins).
    /// </summary>
    public async Task<(SignInOutcome Outcome, Officer? Officer)> SignInAsync(string? login, string? password, string? totpCode, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var account = NormalizedLogin(login) is { } normalized ? await FindAsync(normalized, cancellationToken) : null;
        if (account is null)
        {
            OfficerPasswords.Verify(password ?? string.Empty, _dummyHash.Value);
            await RecordAsync(null, null, "sign_in_refused", "unknown login", cancellationToken);
            return (SignInOutcome.Refused, null);
        }

        var decision = OfficerSignIn.Decide(account, hash => OfficerPasswords.Verify(password ?? string.Empty, hash), totpCode, now);
        if (decision.Account is { } changed)
        {
            await using var update = national.CreateCommand(
                "UPDATE officers SET failed_sign_ins = $2, locked_until = $3, totp_last_step = $4, updated_at = now() " +
                "WHERE officer_id = $1 AND totp_last_step <= $5");
            update.Parameters.Add(new NpgsqlParameter { Value = changed.OfficerId });
            update.Parameters.Add(new NpgsqlParameter { Value = changed.FailedSignIns });
            update.Parameters.Add(new NpgsqlParameter { Value = (object?)changed.LockedUntil?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            update.Parameters.Add(new NpgsqlParameter { Value = changed.TotpLastStep });
            update.Parameters.Add(new NpgsqlParameter { Value = decision.Outcome == SignInOutcome.SignedIn ? changed.TotpLastStep - 1 : long.MaxValue });
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                // Another sign-in used this code's step first.
                decision = new SignInDecision(SignInOutcome.Refused, null);
            }
        }

        await RecordAsync(account.OfficerId, account.HallId, decision.Outcome switch
        {
            SignInOutcome.SignedIn => "signed_in",
            SignInOutcome.Locked => "sign_in_locked",
            SignInOutcome.Disabled => "sign_in_disabled",
            _ => "sign_in_refused",
        }, null, cancellationToken);
        return decision.Outcome == SignInOutcome.SignedIn ? (decision.Outcome, new Officer(account.OfficerId, account.HallId, account.Roles)) : (decision.Outcome, null);
    }

    /// <summary>Officer events, newest first (the auditor's view of sign-ins and account changes).</summary>
    public async Task<IReadOnlyList<(DateTimeOffset At, string? OfficerId, string Kind, string? Detail)>> EventsAsync(string? officerId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = national.CreateCommand(
            "SELECT at, officer_id, kind, detail FROM officer_events WHERE ($1::text IS NULL OR officer_id = $1) ORDER BY seq DESC LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)officerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var events = new List<(DateTimeOffset, string?, string, string?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return events;
    }

    private async Task<OfficerAccount?> FindAsync(string login, CancellationToken cancellationToken)
    {
        await using var command = national.CreateCommand(
            "SELECT officer_id, password_hash, totp_secret, totp_secret_kid, totp_last_step, hall_id, roles, failed_sign_ins, locked_until, disabled " +
            "FROM officers WHERE login = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = login });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var officerId = reader.GetString(0);
        var secret = protector.OpenSecret((uint)reader.GetInt64(3), (byte[])reader[2], TotpPurpose(officerId));
        return new OfficerAccount(
            officerId, login, reader.GetString(1), secret, reader.GetInt64(4), reader.GetString(5), reader.GetFieldValue<string[]>(6),
            reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8), reader.GetBoolean(9));
    }

    private async Task RecordAsync(string? officerId, string? hallId, string kind, string? detail, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        await using var command = national.CreateCommand("INSERT INTO officer_events (event_id, at, officer_id, hall_id, kind, detail) VALUES ($1, $2, $3, $4, $5, $6)");
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7(at), NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = at.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)officerId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)hallId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)detail ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string TotpPurpose(string officerId) => "officer-totp|" + officerId;

    /// <summary>Logins are case-folded (ASCII) and limited to a safe alphabet; anything else is no login at all.</summary>
    public static string? NormalizedLogin(string? login) =>
        login is not null && Login().IsMatch(login) ? login.ToLowerInvariant() : null;

    [GeneratedRegex("^[A-Za-z0-9._-]{3,64}$")]
    private static partial Regex Login();
}
