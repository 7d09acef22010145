using NationalId.Client.Audit;
using NationalId.Client.Faces;
using NationalId.Tests.Support;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// Hotel check-ins and train boardings are registered for the authority: sealed to its key, kept with the history line;
/// the RP gets its answer and pseudonym, never the ID number; a scope without the duty registers nothing.
/// </summary>
[Collection(GatewayCollection.Name)]
public class StatutoryRegistrationTests(GatewayFixture gateway)
{
    [Fact]
    public async Task A_check_in_is_registered_for_the_authority_and_not_for_the_hotel()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync(region: "330106", name: "Lin Huiyin");
        using var phone = await story.ActivateAsync(id, face);
        var hotel = await story.RegisterAsync("hotel", "53", "hotel.checkin", "age.over18");

        var checkIn = await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", phone.Present(), FaceVectors.Live(FaceVectors.Capture(face, 2)));
        Assert.True(checkIn.Verified);
        Assert.DoesNotContain("id_number", checkIn.Attributes.Keys);
        var bar = await story.VerifyAsync(hotel.ApiKey, "age.over18", phone.Present());
        Assert.True(bar.Verified);

        // The authority opens what was sealed to it: who, when, where. The bar check (no duty) left nothing.
        var registrations = await AuthorityReader.OpenAsync(gateway.Database.ConnectionString, SiloArguments.AuthorityKey, SiloArguments.AuthorityKeyId);
        var mine = Assert.Single(registrations, r => r.IdNumber == id.Value);
        Assert.Equal("Lin Huiyin", mine.Name);
        Assert.Equal("53", mine.Place);
        Assert.Equal("hotel.checkin", mine.Scope);
        Assert.Equal(hotel.RelyingPartyId, mine.RelyingPartyId);
        Assert.Equal(checkIn.VerificationId, mine.VerificationId);
        Assert.DoesNotContain(registrations, r => r.VerificationId == bar.VerificationId);

        // Without the authority's key nothing opens.
        using var other = NSec.Cryptography.Key.Create(NSec.Cryptography.KeyAgreementAlgorithm.X25519);
        Assert.Empty(await AuthorityReader.OpenAsync(gateway.Database.ConnectionString, other, SiloArguments.AuthorityKeyId));
        Assert.Empty(await AuthorityReader.OpenAsync(gateway.Database.ConnectionString, SiloArguments.AuthorityKey, SiloArguments.AuthorityKeyId + 1));
    }
}
