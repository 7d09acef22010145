using NationalId.Citizens;
using NationalId.Citizens.Rules;

namespace NationalId.Tests.Citizens.Rules;

public class ActivationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static CredentialRecord Phone(byte key, CredentialStatus status) =>
        new() { CredentialId = [key, 1], PublicKey = [4, key], Status = status };

    [Fact]
    public void The_same_key_again_finds_its_live_credential_before_a_revoked_one()
    {
        var revoked = Phone(7, CredentialStatus.Revoked);
        var live = Phone(7, CredentialStatus.Suspended);
        Assert.Same(live, ActivationRules.Existing([revoked, live, Phone(8, CredentialStatus.Active)], [4, 7]));
        Assert.Same(revoked, ActivationRules.Existing([revoked], [4, 7]));
        Assert.Null(ActivationRules.Existing([live], [4, 9]));
    }

    [Fact]
    public void A_code_matches_trimmed_and_upper_cased_and_the_attempt_that_reaches_the_limit_voids_it()
    {
        var hash = ActivationRules.HashCode("ABCDE23456");
        Assert.Equal(new CodeAttempt(null, 0, false, false), ActivationRules.Code(hash, Now.AddMinutes(5), 0, "  abcde23456 ", Now, 5));
        Assert.Equal(new CodeAttempt("activation_code_invalid", 1, false, true), ActivationRules.Code(hash, Now.AddMinutes(5), 0, "WRONG00000", Now, 5));
        Assert.Equal(new CodeAttempt("activation_code_invalid", 5, true, true), ActivationRules.Code(hash, Now.AddMinutes(5), 4, "WRONG00000", Now, 5));
        Assert.Equal(new CodeAttempt("activation_code_invalid", 2, false, false), ActivationRules.Code(hash, Now.AddMinutes(-1), 2, "ABCDE23456", Now, 5)); // expired
        Assert.Equal(new CodeAttempt("activation_code_invalid", 0, false, false), ActivationRules.Code(null, Now.AddMinutes(5), 0, "ABCDE23456", Now, 5)); // none pending
    }

    [Fact]
    public void Suspended_phones_count_toward_the_device_limit_and_revoked_ones_do_not()
    {
        Assert.True(ActivationRules.DeviceLimitReached([Phone(1, CredentialStatus.Active), Phone(2, CredentialStatus.Suspended)], 2));
        Assert.False(ActivationRules.DeviceLimitReached([Phone(1, CredentialStatus.Active), Phone(2, CredentialStatus.Revoked)], 2));
    }

    [Fact]
    public void Only_a_remote_binding_is_provisional_and_a_zero_cooling_off_makes_none()
    {
        Assert.Equal(Now.AddHours(72), ActivationRules.ProvisionalUntil(Assurance.Substantial, Now, TimeSpan.FromHours(72)));
        Assert.Null(ActivationRules.ProvisionalUntil(Assurance.High, Now, TimeSpan.FromHours(72)));
        Assert.Null(ActivationRules.ProvisionalUntil(Assurance.Substantial, Now, TimeSpan.Zero));
    }

    [Fact]
    public void A_challenge_is_usable_once_marks_outlive_their_expiry_by_the_clock_skew_and_at_most_32_are_held()
    {
        var skew = TimeSpan.FromSeconds(30);
        var used = new List<UsedChallenge> { new() { Id = [1], ExpiresAt = Now.AddMinutes(5) } };
        Assert.False(ActivationRules.ChallengeUsable(used, [1], Now, skew));
        Assert.True(ActivationRules.ChallengeUsable(used, [2], Now, skew));
        Assert.False(ActivationRules.ChallengeUsable(used, [1], Now.AddMinutes(5).AddSeconds(29), skew)); // expired, within the skew
        Assert.True(ActivationRules.ChallengeUsable(used, [1], Now.AddMinutes(5).AddSeconds(31), skew)); // forgotten
        Assert.Empty(used);
        for (byte i = 0; i < ActivationRules.MaxUsedChallenges; i++)
        {
            used.Add(new UsedChallenge { Id = [i], ExpiresAt = Now.AddMinutes(5) });
        }

        Assert.False(ActivationRules.ChallengeUsable(used, [200], Now, skew));
    }
}
