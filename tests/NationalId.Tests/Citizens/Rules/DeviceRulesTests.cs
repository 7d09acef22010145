using NationalId.Citizens;
using NationalId.Citizens.Rules;
using NationalId.Protocol;

namespace NationalId.Tests.Citizens.Rules;

public class DeviceRulesTests
{
    private const long Now = 1_800_000_000_000;
    private static readonly long Skew = (long)DeviceRequestSignature.MaxClockSkew.TotalMilliseconds;

    [Theory]
    [InlineData(CredentialStatus.Active, false, true)]
    [InlineData(CredentialStatus.Suspended, false, false)]
    [InlineData(CredentialStatus.Suspended, true, true)]
    [InlineData(CredentialStatus.Revoked, true, false)]
    [InlineData(CredentialStatus.Revoked, false, false)]
    public void An_active_phone_signs_a_suspended_one_only_where_allowed_and_a_revoked_one_never(CredentialStatus status, bool allowSuspended, bool may) =>
        Assert.Equal(may, DeviceRules.MaySign(status, allowSuspended));

    [Fact]
    public void A_signed_time_is_fresh_within_the_skew_either_way_and_a_change_needs_a_newer_one_than_the_last()
    {
        Assert.Null(DeviceRules.Freshness(Now, Now - Skew, 0, consume: true));
        Assert.Null(DeviceRules.Freshness(Now, Now + Skew, 0, consume: true));
        Assert.Equal("device_request_replayed", DeviceRules.Freshness(Now, Now - Skew - 1, 0, consume: true));
        Assert.Equal("device_request_replayed", DeviceRules.Freshness(Now, Now + Skew + 1, 0, consume: false));
        Assert.Equal("device_request_replayed", DeviceRules.Freshness(Now, Now, Now, consume: true)); // the same request again
        Assert.Null(DeviceRules.Freshness(Now, Now, Now, consume: false)); // a read consumes nothing
        Assert.Null(DeviceRules.Freshness(Now, Now, Now - 1, consume: true));
    }

    [Fact]
    public void An_unknown_citizen_answers_a_phone_as_a_bad_signature_and_an_operator_as_not_found()
    {
        Assert.Equal("device_signature_invalid", DeviceRules.UnknownCitizen(ActionChannel.Device));
        Assert.Equal("citizen_not_found", DeviceRules.UnknownCitizen(ActionChannel.Counter));
        Assert.Equal("citizen_not_found", DeviceRules.UnknownCitizen(ActionChannel.Hotline));
    }
}
