namespace NationalId.Silo.Officers;

/// <summary>The roles an officer may hold (a set: a supervisor at a counter is also a counter officer).</summary>
public static class OfficerRoles
{
    public const string CounterOfficer = "counter_officer";
    public const string HotlineAgent = "hotline_agent";
    public const string Supervisor = "supervisor";
    public const string Auditor = "auditor";
    public const string RelyingPartyRegistrar = "rp_registrar";
    public const string Administrator = "administrator";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        CounterOfficer, HotlineAgent, Supervisor, Auditor, RelyingPartyRegistrar, Administrator,
    };
}

/// <summary>What a sign-in needs to know of an officer account, as stored.</summary>
public sealed record OfficerAccount(
    string OfficerId,
    string Login,
    string PasswordHash,
    byte[] TotpSecret,
    long TotpLastStep,
    string HallId,
    IReadOnlyList<string> Roles,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    bool Disabled);

/// <summary>How a sign-in ended; <see cref="Account"/> is the account to store afterwards (counters, lock, used step).</summary>
public sealed record SignInDecision(SignInOutcome Outcome, OfficerAccount? Account);

public enum SignInOutcome
{
    SignedIn,

    /// <summary>No such login, wrong password or wrong code: one answer for all three, so a caller learns nothing.</summary>
    Refused,

    /// <summary>Too many failures: refused whatever is sent until the lock ends.</summary>
    Locked,

    Disabled,
}

/// <summary>
/// Password then second factor, with lockout: <see cref="MaxFailures"/> failures in a row lock the account for
/// <see cref="LockDuration"/>; a success clears the count. While locked nothing is checked (a correct password during
/// the lock does not tell the guesser it was correct). Pure: the password check and the clock are passed in.
/// </summary>
public static class OfficerSignIn
{
    public const int MaxFailures = 5;

    public static readonly TimeSpan LockDuration = TimeSpan.FromMinutes(15);

    public static SignInDecision Decide(OfficerAccount? account, Func<string, bool> passwordMatches, string? totpCode, DateTimeOffset now)
    {
        if (account is null)
        {
            return new(SignInOutcome.Refused, null);
        }

        if (account.Disabled)
        {
            return new(SignInOutcome.Disabled, null);
        }

        if (account.LockedUntil is { } until && until > now)
        {
            return new(SignInOutcome.Locked, null);
        }

        var step = passwordMatches(account.PasswordHash) ? OfficerTotp.Verify(account.TotpSecret, totpCode, now, account.TotpLastStep) : null;
        if (step is { } used)
        {
            return new(SignInOutcome.SignedIn, account with { FailedSignIns = 0, LockedUntil = null, TotpLastStep = used });
        }

        var failures = account.FailedSignIns + 1;
        return failures >= MaxFailures
            ? new(SignInOutcome.Locked, account with { FailedSignIns = 0, LockedUntil = now + LockDuration })
            : new(SignInOutcome.Refused, account with { FailedSignIns = failures, LockedUntil = null });
    }
}
