using NationalId.Citizens;
using NationalId.Citizens.Rules;

namespace NationalId.Tests.Citizens.Rules;

/// <summary>The channel × action table, row by row as docs/reference/api.md and docs/decisions/security.md §2.1 state it.</summary>
public class ChannelPolicyTests
{
    public static TheoryData<CitizenAction, ActionChannel, bool, bool> Table => new()
    {
        // action, channel, allowed, face required
        { CitizenAction.Suspend, ActionChannel.Device, true, false },
        { CitizenAction.Suspend, ActionChannel.Counter, true, true },
        { CitizenAction.Suspend, ActionChannel.Hotline, true, false },
        { CitizenAction.Resume, ActionChannel.Device, true, true },
        { CitizenAction.Resume, ActionChannel.Counter, true, true },
        { CitizenAction.Resume, ActionChannel.Hotline, false, false },
        { CitizenAction.Revoke, ActionChannel.Device, true, false },
        { CitizenAction.Revoke, ActionChannel.Counter, true, true },
        { CitizenAction.Revoke, ActionChannel.Hotline, false, false },
        { CitizenAction.Lock, ActionChannel.Device, true, false },
        { CitizenAction.Lock, ActionChannel.Counter, true, true },
        { CitizenAction.Lock, ActionChannel.Hotline, true, false },
        { CitizenAction.Unlock, ActionChannel.Device, true, true },
        { CitizenAction.Unlock, ActionChannel.Counter, true, true },
        { CitizenAction.Unlock, ActionChannel.Hotline, false, false },
        { CitizenAction.RegisterResidence, ActionChannel.Device, true, false },
        { CitizenAction.RegisterResidence, ActionChannel.Counter, true, true },
        { CitizenAction.RegisterResidence, ActionChannel.Hotline, false, false },
        { CitizenAction.RevokeCard, ActionChannel.Device, false, false },
        { CitizenAction.RevokeCard, ActionChannel.Counter, true, true },
        { CitizenAction.RevokeCard, ActionChannel.Hotline, true, false },
        { CitizenAction.GrantMandate, ActionChannel.Device, true, true },
        { CitizenAction.GrantMandate, ActionChannel.Counter, true, true },
        { CitizenAction.GrantMandate, ActionChannel.Hotline, false, false },
        { CitizenAction.RevokeMandate, ActionChannel.Device, true, false },
        { CitizenAction.RevokeMandate, ActionChannel.Counter, true, true },
        { CitizenAction.RevokeMandate, ActionChannel.Hotline, false, false },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_channel_may_do_what_the_table_says_with_the_face_it_says(CitizenAction action, ActionChannel channel, bool allowed, bool face)
    {
        Assert.Equal(new ChannelRule(allowed, face), ChannelPolicy.For(action, channel));
        Assert.Equal(allowed ? null : "channel_not_allowed", ChannelPolicy.Refusal(action, channel));
    }

    [Fact]
    public void Every_action_and_channel_has_a_row_and_an_unnamed_channel_is_refused()
    {
        var rows = Table.Select(r => ((CitizenAction)r[0], (ActionChannel)r[1])).ToHashSet();
        foreach (var action in Enum.GetValues<CitizenAction>())
        {
            foreach (var channel in Enum.GetValues<ActionChannel>())
            {
                Assert.Contains((action, channel), rows);
            }

            Assert.False(ChannelPolicy.For(action, (ActionChannel)99).Allowed);
        }
    }

    [Fact]
    public void A_provisional_phone_may_act_only_on_its_own_credential()
    {
        foreach (var action in Enum.GetValues<CitizenAction>())
        {
            Assert.False(ChannelPolicy.ProvisionalMay(action, onItself: false));
            Assert.Equal(action is CitizenAction.Suspend or CitizenAction.Resume or CitizenAction.Revoke, ChannelPolicy.ProvisionalMay(action, onItself: true));
        }
    }
}

public class ChannelRefusalTests
{
    [Fact]
    public void A_provisional_phone_is_refused_as_provisional_before_the_table_and_a_settled_one_as_the_table_says()
    {
        Assert.Equal("credential_provisional", ChannelPolicy.Refusal(CitizenAction.Lock, ActionChannel.Device, provisionalSigner: true, onItself: false));
        Assert.Equal("credential_provisional", ChannelPolicy.Refusal(CitizenAction.RevokeCard, ActionChannel.Device, provisionalSigner: true, onItself: false));
        Assert.Null(ChannelPolicy.Refusal(CitizenAction.Revoke, ActionChannel.Device, provisionalSigner: true, onItself: true));
        Assert.Null(ChannelPolicy.Refusal(CitizenAction.Lock, ActionChannel.Device, provisionalSigner: false, onItself: false));
        Assert.Equal("channel_not_allowed", ChannelPolicy.Refusal(CitizenAction.RevokeCard, ActionChannel.Device, provisionalSigner: false, onItself: false));
    }

    [Fact]
    public void A_credential_action_leads_to_its_status_and_history_kind_and_each_channel_has_its_word()
    {
        Assert.Equal((CredentialStatus.Suspended, "suspended"), ChannelPolicy.Outcome(CredentialAction.Suspend));
        Assert.Equal((CredentialStatus.Active, "resumed"), ChannelPolicy.Outcome(CredentialAction.Resume));
        Assert.Equal((CredentialStatus.Revoked, "revoked"), ChannelPolicy.Outcome(CredentialAction.Revoke));
        Assert.Equal(["device", "counter", "hotline"], new[] { ActionChannel.Device, ActionChannel.Counter, ActionChannel.Hotline }.Select(ChannelPolicy.Name));
    }
}
