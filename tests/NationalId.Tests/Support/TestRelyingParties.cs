using NationalId.RelyingParties;

namespace NationalId.Tests.Support;

/// <summary>
/// RPs registered in a grain test cluster, as the operator API would: a citizen grain takes an RP's province and
/// scopes from the RP's own policy, so the RPs a test names must exist. One per province ("rp-44-testtesttesttest")
/// and a second one in Guangdong (<see cref="OtherInGuangdong"/>), each registered for every scope of the catalogue.
/// </summary>
public static class TestRelyingParties
{
    public const string OtherInGuangdong = "rp-44-otherrpotherrpot";

    public static string InProvince(string province) => $"rp-{province}-testtesttesttest";

    public static async Task RegisterAsync(IGrainFactory grains)
    {
        var scopes = ScopeCatalog.All.Select(s => s.Name).ToArray();
        var ids = Enumerable.Range(11, 72).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Where(NationalId.IdNumbers.Province.IsKnown).Select(InProvince).Append(OtherInGuangdong);
        foreach (var id in ids)
        {
            var province = id.Substring(3, 2);
            await grains.GetGrain<IRelyingPartyGrain>(id).Register(new RelyingPartyRegistration($"Test RP {id}", Sector.Other, province, scopes, new byte[32]));
        }
    }
}
