using NationalId.Citizens;
using NationalId.Citizens.Rules;
using NationalId.Errors;
using NationalId.History;
using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Tests.Citizens.Rules;

public class MandateRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Max = new NationalIdOptions().MandateMaxDuration;

    [Theory]
    [InlineData("2010-12-02", false)] // 16 today
    [InlineData("2010-12-03", true)]  // 16 tomorrow
    [InlineData("1980-01-01", false)]
    public void A_citizen_is_under_16_until_the_day_of_their_16th_birthday(string birthDate, bool under16) =>
        Assert.Equal(under16, MandateRules.IsUnder16(birthDate, Now));

    [Fact]
    public void A_guardianship_is_for_a_minor_and_an_ordinary_mandate_for_anyone_older()
    {
        Assert.Null(MandateRules.Principal(MandateKind.Guardianship, under16: true));
        Assert.Equal("principal_not_a_minor", MandateRules.Principal(MandateKind.Guardianship, under16: false));
        Assert.Null(MandateRules.Principal(MandateKind.Mandate, under16: false));
        Assert.Equal("principal_is_a_minor", MandateRules.Principal(MandateKind.Mandate, under16: true));
    }

    [Fact]
    public void A_mandates_period_is_as_asked_within_the_maximum_and_a_guardianship_ends_at_16_at_the_latest()
    {
        var sixteenth = MandateRules.SixteenthBirthday("2015-06-01");
        Assert.Equal(new DateTimeOffset(2031, 6, 1, 0, 0, 0, TimeSpan.Zero), sixteenth);
        Assert.Equal(Now + Max, MandateRules.Until(MandateKind.Mandate, Now, null, sixteenth, Now, Max));
        Assert.Equal(Now.AddDays(30), MandateRules.Until(MandateKind.Mandate, Now, Now.AddDays(30), sixteenth, Now, Max));
        Assert.Null(MandateRules.Until(MandateKind.Mandate, Now, Now + Max + TimeSpan.FromDays(1), sixteenth, Now, Max)); // too long
        Assert.Null(MandateRules.Until(MandateKind.Mandate, Now, Now, sixteenth, Now, Max)); // ends as it starts
        Assert.Null(MandateRules.Until(MandateKind.Mandate, Now.AddDays(-10), Now.AddDays(-1), sixteenth, Now, Max)); // over already
        Assert.Equal(sixteenth, MandateRules.Until(MandateKind.Guardianship, Now, null, sixteenth, Now, Max));
        Assert.Equal(sixteenth, MandateRules.Until(MandateKind.Guardianship, Now, sixteenth.AddYears(3), sixteenth, Now, Max));
        Assert.Equal(Now.AddYears(1), MandateRules.Until(MandateKind.Guardianship, Now, Now.AddYears(1), sixteenth, Now, Max));
    }

    private static readonly ScopePolicy Rail = ScopeCatalog.TryGet("rail.gate", out var scope) ? scope : throw new InvalidOperationException();

    private static MandateRecord Mandate(string delegateHandle, bool revoked = false, int fromDays = -1, int untilDays = 30, string scope = "rail.gate") => new()
    {
        MandateId = "m-" + delegateHandle,
        DelegateHandle = delegateHandle,
        Scopes = [scope],
        Revoked = revoked,
        ValidFrom = Now.AddDays(fromDays),
        ValidUntil = Now.AddDays(untilDays),
    };

    [Fact]
    public void A_use_is_refused_for_the_first_reason_in_order_and_otherwise_names_the_covering_mandate()
    {
        Assert.Equal(RejectionReason.MandateNotFound, MandateRules.Use([Mandate("other")], "d", Rail, null, false, Now).Reason);
        Assert.Equal(RejectionReason.MandateRevoked, MandateRules.Use([Mandate("d", revoked: true)], "d", Rail, null, false, Now).Reason);
        Assert.Equal(RejectionReason.MandateNotInForce, MandateRules.Use([Mandate("d", fromDays: 1)], "d", Rail, null, false, Now).Reason);
        Assert.Equal(RejectionReason.MandateNotInForce, MandateRules.Use([Mandate("d", fromDays: -30, untilDays: 0)], "d", Rail, null, false, Now).Reason);
        Assert.Equal(RejectionReason.MandateScopeNotCovered, MandateRules.Use([Mandate("d", scope: "hotel.checkin")], "d", Rail, null, false, Now).Reason);
        Assert.Equal(RejectionReason.CitizenLocked, MandateRules.Use([Mandate("d")], "d", Rail, null, true, Now).Reason);
        var notMatchable = DisclosableAttribute.All.First(a => !Rail.MatchAttributes.Contains(a, StringComparer.Ordinal));
        Assert.Equal(RejectionReason.AttributeNotMatchable, MandateRules.Use([Mandate("d")], "d", Rail, new MatchRequest(notMatchable, "x"), false, Now).Reason);
        var (reason, covering) = MandateRules.Use([Mandate("d", scope: "hotel.checkin"), Mandate("d")], "d", Rail, null, false, Now);
        Assert.Null(reason);
        Assert.Equal(["rail.gate"], covering!.Scopes);
    }

    [Fact]
    public void Only_the_delegates_own_recent_verified_line_for_this_rp_and_scope_on_someones_behalf_proves_a_use()
    {
        HistoryRecord Line(bool verified = true, string channel = "delegate", string rp = "rp-1", string scope = "rail.gate", int secondsAgo = 10) =>
            new(Guid.CreateVersion7(Now), Now.AddSeconds(-secondsAgo), "d", HistoryKind.Verification, RelyingPartyId: rp, Scope: scope,
                Verified: verified, Assurance: (short)Assurance.High, Channel: channel);
        var skew = TimeSpan.FromSeconds(30);
        Assert.Equal(Assurance.High, MandateRules.DelegatedAssurance(Line(), "rp-1", "rail.gate", Now, skew));
        Assert.Null(MandateRules.DelegatedAssurance(null, "rp-1", "rail.gate", Now, skew));
        Assert.Null(MandateRules.DelegatedAssurance(Line(verified: false), "rp-1", "rail.gate", Now, skew));
        Assert.Null(MandateRules.DelegatedAssurance(Line(channel: "device"), "rp-1", "rail.gate", Now, skew));
        Assert.Null(MandateRules.DelegatedAssurance(Line(rp: "rp-2"), "rp-1", "rail.gate", Now, skew));
        Assert.Null(MandateRules.DelegatedAssurance(Line(scope: "hotel.checkin"), "rp-1", "rail.gate", Now, skew));
        Assert.Null(MandateRules.DelegatedAssurance(Line(secondsAgo: 121), "rp-1", "rail.gate", Now, skew));
        Assert.Null(MandateRules.DelegatedAssurance(Line(secondsAgo: -31), "rp-1", "rail.gate", Now, skew));
    }
}

public class MandateGrantRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Max = new NationalIdOptions().MandateMaxDuration;

    private static MandateGrant Grant(string delegateHandle = "d", MandateKind kind = MandateKind.Mandate, int untilDays = 30) =>
        new(delegateHandle, ["rail.gate"], Now, Now.AddDays(untilDays), kind, ActionChannel.Device, null, null);

    [Fact]
    public void A_guardianship_is_granted_only_at_a_counter_and_each_kind_only_by_a_principal_of_its_age()
    {
        Assert.Equal("channel_not_allowed", MandateRules.GrantChannel(MandateKind.Guardianship, ActionChannel.Device, "2015-01-01", Now));
        Assert.Equal("channel_not_allowed", MandateRules.GrantChannel(MandateKind.Guardianship, ActionChannel.Hotline, "2015-01-01", Now));
        Assert.Null(MandateRules.GrantChannel(MandateKind.Guardianship, ActionChannel.Counter, "2015-01-01", Now));
        Assert.Equal("principal_not_a_minor", MandateRules.GrantChannel(MandateKind.Guardianship, ActionChannel.Counter, "1980-01-01", Now));
        Assert.Equal("principal_is_a_minor", MandateRules.GrantChannel(MandateKind.Mandate, ActionChannel.Device, "2015-01-01", Now));
        Assert.Null(MandateRules.GrantChannel(MandateKind.Mandate, ActionChannel.Device, "1980-01-01", Now));
    }

    [Fact]
    public void A_grant_is_refused_to_oneself_for_a_bad_period_or_past_the_limit_and_otherwise_gives_its_end()
    {
        Assert.Equal("invalid_mandate", MandateRules.GrantTerms(Grant("p"), "p", "1980-01-01", [], Now, Max, 5).Refusal);
        Assert.Equal("invalid_mandate_period", MandateRules.GrantTerms(Grant(untilDays: -1), "p", "1980-01-01", [], Now, Max, 5).Refusal);
        var inForce = Enumerable.Range(0, 5).Select(i => new MandateRecord { MandateId = $"m{i}", ValidUntil = Now.AddDays(1) }).ToList();
        Assert.Equal("mandate_limit_reached", MandateRules.GrantTerms(Grant(), "p", "1980-01-01", inForce, Now, Max, 5).Refusal);
        inForce[0].Revoked = true; // a revoked one no longer counts
        Assert.Equal((null, Now.AddDays(30)), MandateRules.GrantTerms(Grant(), "p", "1980-01-01", inForce, Now, Max, 5));
    }

    [Fact]
    public void A_guardianship_is_ended_only_by_its_own_guardian_at_a_counter_and_a_ward_cannot_end_it()
    {
        var guardianship = new MandateRecord { MandateId = "m-g", DelegateHandle = "guardian", Kind = MandateKind.Guardianship };
        var mandate = new MandateRecord { MandateId = "m-o", DelegateHandle = "friend", Kind = MandateKind.Mandate };
        Assert.Equal((null, true), MandateRules.Revoker(guardianship, ActionChannel.Counter, "guardian"));
        Assert.Equal(("mandate_not_found", false), MandateRules.Revoker(guardianship, ActionChannel.Counter, "someone_else"));
        Assert.Equal(("mandate_not_found", false), MandateRules.Revoker(guardianship, ActionChannel.Device, "guardian"));
        Assert.Equal(("channel_not_allowed", false), MandateRules.Revoker(guardianship, ActionChannel.Device, null)); // the ward's phone
        Assert.Equal(("channel_not_allowed", false), MandateRules.Revoker(guardianship, ActionChannel.Counter, null));
        Assert.Equal((null, false), MandateRules.Revoker(mandate, ActionChannel.Device, null));
        Assert.Equal(("mandate_not_found", false), MandateRules.Revoker(mandate, ActionChannel.Counter, "friend")); // not a guardianship
        Assert.Equal((null, false), MandateRules.Revoker(null, ActionChannel.Device, null)); // decided later: not found
    }
}
