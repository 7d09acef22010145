using NationalId.Citizens;

namespace NationalId.RelyingParties;

/// <summary>
/// The national catalogue of scopes. An RP is registered for some of them; what each discloses is fixed here, by
/// law, not chosen by the RP. Default answers are result-only: a scope discloses nothing it does not list.
/// </summary>
public static class ScopeCatalog
{
    private static readonly ScopePolicy[] Scopes =
    [
        new("hotel.checkin", [DisclosableAttribute.Name, DisclosableAttribute.AgeOver18], [DisclosableAttribute.IdNumber, DisclosableAttribute.Name], FaceRequired: true, Assurance.Substantial, InPersonAllowed: true, StatutoryRegistration: true),
        new("rail.gate", [], [DisclosableAttribute.IdNumber, DisclosableAttribute.Name], FaceRequired: false, Assurance.Substantial, InPersonAllowed: true, StatutoryRegistration: true),
        new("bank.account", [DisclosableAttribute.Name, DisclosableAttribute.Sex, DisclosableAttribute.BirthDate, DisclosableAttribute.IdNumber], [DisclosableAttribute.IdNumber, DisclosableAttribute.Name], FaceRequired: true, Assurance.High, InPersonAllowed: true),
        new("age.over18", [DisclosableAttribute.AgeOver18], [], FaceRequired: false, Assurance.Substantial, InPersonAllowed: true),
        new("age.over60", [DisclosableAttribute.AgeOver60], [], FaceRequired: false, Assurance.Substantial, InPersonAllowed: true),
        new("gov.service", [DisclosableAttribute.Name, DisclosableAttribute.Sex, DisclosableAttribute.BirthDate, DisclosableAttribute.HomeProvince, DisclosableAttribute.ResidenceProvince, DisclosableAttribute.IdNumber], [DisclosableAttribute.IdNumber, DisclosableAttribute.Name], FaceRequired: true, Assurance.Substantial, InPersonAllowed: true),
        // Signing in to online public services: who it is (the pseudonym), nothing else, and never at a counter.
        new("online.login", [], [], FaceRequired: false, Assurance.Substantial, InPersonAllowed: false),
        new("telecom.sim", [DisclosableAttribute.Name, DisclosableAttribute.IdNumber], [DisclosableAttribute.IdNumber], FaceRequired: true, Assurance.Substantial, InPersonAllowed: true),
    ];

    private static readonly Dictionary<string, ScopePolicy> ByName = Scopes.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public static IReadOnlyList<ScopePolicy> All => Scopes;

    public static bool TryGet(string? name, out ScopePolicy policy)
    {
        if (name is not null && ByName.TryGetValue(name, out var found))
        {
            policy = found;
            return true;
        }

        policy = null!;
        return false;
    }
}
