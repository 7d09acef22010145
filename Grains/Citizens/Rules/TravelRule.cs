namespace NationalId.Citizens.Rules;

/// <summary>
/// Whether one credential can have been at two verifications: the provinces' capitals (the RP's registered province
/// stands for where the terminal is) must be reachable in the time between them at airliner speed, with a margin for
/// journeys that start near a border. Farther than that, the credential (or a copy of it) is in two places at once.
/// </summary>
public static class TravelRule
{
    /// <summary>Cruising speed of a domestic flight, door to door, generously.</summary>
    public const double KilometresPerHour = 900;

    /// <summary>Reachable at once: neighbouring provinces' border towns are closer than their capitals.</summary>
    public const double SlackKilometres = 300;

    private static readonly Dictionary<string, (double Lat, double Lon)> Capitals = new(StringComparer.Ordinal)
    {
        ["11"] = (39.90, 116.41),
        ["12"] = (39.13, 117.20),
        ["13"] = (38.04, 114.51),
        ["14"] = (37.87, 112.55),
        ["15"] = (40.84, 111.75),
        ["21"] = (41.80, 123.43),
        ["22"] = (43.82, 125.32),
        ["23"] = (45.80, 126.53),
        ["31"] = (31.23, 121.47),
        ["32"] = (32.06, 118.80),
        ["33"] = (30.27, 120.16),
        ["34"] = (31.82, 117.23),
        ["35"] = (26.07, 119.30),
        ["36"] = (28.68, 115.86),
        ["37"] = (36.65, 117.12),
        ["41"] = (34.75, 113.62),
        ["42"] = (30.59, 114.31),
        ["43"] = (28.23, 112.94),
        ["44"] = (23.13, 113.26),
        ["45"] = (22.82, 108.37),
        ["46"] = (20.04, 110.34),
        ["50"] = (29.56, 106.55),
        ["51"] = (30.57, 104.07),
        ["52"] = (26.65, 106.63),
        ["53"] = (25.04, 102.71),
        ["54"] = (29.65, 91.13),
        ["61"] = (34.34, 108.94),
        ["62"] = (36.06, 103.83),
        ["63"] = (36.62, 101.78),
        ["64"] = (38.49, 106.23),
        ["65"] = (43.83, 87.62),
        ["71"] = (25.03, 121.57),
        ["81"] = (22.32, 114.17),
        ["82"] = (22.20, 113.54),
    };

    /// <summary>Great-circle distance between two provinces' capitals, or null when either code is unknown.</summary>
    public static double? DistanceKm(string from, string to)
    {
        if (!Capitals.TryGetValue(from, out var a) || !Capitals.TryGetValue(to, out var b))
        {
            return null;
        }

        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(b.Lat - a.Lat);
        var dLon = Radians(b.Lon - a.Lon);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(Radians(a.Lat)) * Math.Cos(Radians(b.Lat)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * 6371 * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>True when nobody can travel from one to the other in the time between the two verifications.</summary>
    public static bool Impossible(string fromProvince, DateTimeOffset fromAt, string toProvince, DateTimeOffset toAt) =>
        DistanceKm(fromProvince, toProvince) is { } km && km > SlackKilometres + (KilometresPerHour * Math.Abs((toAt - fromAt).TotalHours));
}
