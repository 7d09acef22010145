using NationalId.Citizens.Rules;

namespace NationalId.Tests.Citizens.Rules;

public class TravelWatchTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Phone = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
    private static readonly byte[] OtherPhone = Enumerable.Range(2, 16).Select(i => (byte)i).ToArray();

    [Fact]
    public void Beijing_then_Urumqi_ten_minutes_later_is_an_anomaly_with_its_note_and_five_hours_later_is_not()
    {
        var watch = new TravelWatch();
        Assert.Null(watch.Seen(Phone, "11", Now)); // nothing seen before
        var anomaly = watch.Seen(Phone, "65", Now.AddMinutes(10));
        Assert.NotNull(anomaly);
        Assert.Equal("11 then 65 within 10 min", anomaly.Note);

        var later = new TravelWatch();
        Assert.Null(later.Seen(Phone, "11", Now));
        Assert.Null(later.Seen(Phone, "65", Now.AddHours(5)));
    }

    [Fact]
    public void Each_credential_has_its_own_last_place_and_the_latest_verification_is_the_one_compared()
    {
        var watch = new TravelWatch();
        Assert.Null(watch.Seen(Phone, "11", Now));
        Assert.Null(watch.Seen(OtherPhone, "65", Now.AddMinutes(1))); // another phone of the citizen, far away: its own track
        Assert.Null(watch.Seen(Phone, "12", Now.AddMinutes(30))); // Tianjin, next door
        Assert.NotNull(watch.Seen(Phone, "65", Now.AddMinutes(40))); // compared with Tianjin, the latest
    }
}
