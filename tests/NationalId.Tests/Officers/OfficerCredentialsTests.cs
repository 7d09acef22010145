using NationalId.Silo.Officers;

namespace NationalId.Tests.Officers;

/// <summary>Officers' passwords, second factor, ids and lockout: the pure rules of issue 15's first step.</summary>
public sealed class OfficerCredentialsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_password_verifies_only_against_its_own_hash_and_a_raised_cost_asks_for_a_rehash()
    {
        var stored = OfficerPasswords.Hash("correct horse battery", iterations: 1_000);
        Assert.True(OfficerPasswords.Verify("correct horse battery", stored));
        Assert.False(OfficerPasswords.Verify("correct horse batterY", stored));
        Assert.NotEqual(stored, OfficerPasswords.Hash("correct horse battery", iterations: 1_000)); // salted
        Assert.True(OfficerPasswords.NeedsRehash(stored));
        Assert.False(OfficerPasswords.NeedsRehash(stored, iterations: 1_000));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("md5$abc$def")]
    [InlineData("pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$1000$not base64$AAAA")]
    [InlineData("pbkdf2-sha256$1000$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$-5$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void A_stored_value_of_any_other_form_never_verifies(string stored) =>
        Assert.False(OfficerPasswords.Verify("anything at all", stored));

    [Theory]
    [InlineData(null, false)]
    [InlineData("short", false)]
    [InlineData("aaaaaaaaaaaaaaaa", false)]
    [InlineData("tianhe hall 2026", true)]
    public void New_passwords_are_long_and_varied(string? password, bool accepted) =>
        Assert.Equal(accepted, OfficerPasswords.Problem(password) is null);

    [Fact]
    public void A_totp_code_is_accepted_within_one_step_of_drift_and_each_step_only_once()
    {
        var secret = OfficerTotp.NewSecret();
        var code = OfficerTotp.Code(secret, Now);
        var step = OfficerTotp.Verify(secret, code, Now, lastUsedStep: 0);
        Assert.NotNull(step);
        Assert.Null(OfficerTotp.Verify(secret, code, Now, lastUsedStep: step!.Value)); // replayed
        Assert.NotNull(OfficerTotp.Verify(secret, OfficerTotp.Code(secret, Now.AddSeconds(-30)), Now, 0)); // a step late
        Assert.Null(OfficerTotp.Verify(secret, OfficerTotp.Code(secret, Now.AddMinutes(-5)), Now, 0)); // too old
        Assert.Null(OfficerTotp.Verify(OfficerTotp.NewSecret(), code, Now, 0)); // another officer's secret
        Assert.StartsWith("otpauth://totp/NationalId:3F7K2M9Q?secret=", OfficerTotp.EnrollmentUri(secret, "3F7K2M9Q"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    [InlineData("١٢٣٤٥٦")] // Arabic-Indic digits are digits to char.IsDigit, not to a TOTP
    public void Malformed_codes_are_refused_without_computing_anything(string? code) =>
        Assert.Null(OfficerTotp.Verify(OfficerTotp.NewSecret(), code, Now, 0));

    [Fact]
    public void Officer_ids_are_eight_crockford_characters_and_random()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => OfficerIds.New()).ToList();
        Assert.All(ids, id => Assert.True(OfficerIds.IsValid(id), id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.False(OfficerIds.IsValid("3F7K2M9I")); // I is not in the alphabet
        Assert.False(OfficerIds.IsValid("3f7k2m9q"));
    }

    [Fact]
    public void Five_failures_lock_the_account_and_nothing_is_checked_until_the_lock_ends()
    {
        var secret = OfficerTotp.NewSecret();
        var account = new OfficerAccount("3F7K2M9Q", "li.na", "hash", secret, 0, "hall-4401", [OfficerRoles.CounterOfficer], 0, null, false);
        var passwordChecks = 0;
        bool Right(string _) { passwordChecks++; return true; }
        bool Wrong(string _) { passwordChecks++; return false; }

        for (var i = 1; i < OfficerSignIn.MaxFailures; i++)
        {
            var refused = OfficerSignIn.Decide(account, Wrong, OfficerTotp.Code(secret, Now), Now);
            Assert.Equal(SignInOutcome.Refused, refused.Outcome);
            account = refused.Account!;
            Assert.Equal(i, account.FailedSignIns);
        }

        // A right password with a wrong code is a failure too: the fifth locks.
        var locked = OfficerSignIn.Decide(account, Right, "000000", Now);
        Assert.Equal(SignInOutcome.Locked, locked.Outcome);
        account = locked.Account!;
        Assert.Equal(Now + OfficerSignIn.LockDuration, account.LockedUntil);

        var checksBefore = passwordChecks;
        Assert.Equal(SignInOutcome.Locked, OfficerSignIn.Decide(account, Right, OfficerTotp.Code(secret, Now.AddMinutes(1)), Now.AddMinutes(1)).Outcome);
        Assert.Equal(checksBefore, passwordChecks);

        var later = Now + OfficerSignIn.LockDuration + TimeSpan.FromSeconds(1);
        var signedIn = OfficerSignIn.Decide(account, Right, OfficerTotp.Code(secret, later), later);
        Assert.Equal(SignInOutcome.SignedIn, signedIn.Outcome);
        Assert.Equal((0, (DateTimeOffset?)null), (signedIn.Account!.FailedSignIns, signedIn.Account.LockedUntil));
        Assert.True(signedIn.Account.TotpLastStep > 0);
    }

    [Fact]
    public void Unknown_and_disabled_accounts_sign_in_never()
    {
        Assert.Equal(SignInOutcome.Refused, OfficerSignIn.Decide(null, _ => true, "123456", Now).Outcome);
        var disabled = new OfficerAccount("3F7K2M9Q", "li.na", "hash", OfficerTotp.NewSecret(), 0, "hall-4401", [], 0, null, Disabled: true);
        Assert.Equal(SignInOutcome.Disabled, OfficerSignIn.Decide(disabled, _ => true, "123456", Now).Outcome);
    }
}
