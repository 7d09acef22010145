using System.Net;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;

namespace NationalId.Tests.EndToEnd;

/// <summary>Residence registration: by phone or at a counter, disclosed only where a scope lists it.</summary>
[Collection(GatewayCollection.Name)]
public class ResidenceTests(GatewayFixture gateway)
{
    [Fact]
    public async Task A_residence_registered_by_phone_is_disclosed_to_government_services_only_and_recorded_without_its_value()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync(region: "510104"); // home: Sichuan
        var hall = await story.RegisterAsync("government", "44", "gov.service");
        var rail = await story.RegisterAsync("rail", "44", "rail.gate");
        using var wallet = await story.ActivateAsync(id, face);

        Assert.Equal(HttpStatusCode.NoContent, (await wallet.RegisterResidenceAsync(story.Http, "44")).StatusCode); // moved to Guangdong

        var atHall = await story.VerifyAsync(hall.ApiKey, "gov.service", wallet.Present(), FaceVectors.Live(FaceVectors.Capture(face, 3)));
        Assert.True(atHall.Verified);
        Assert.Equal("44", atHall.Attributes["residence_province"]);
        Assert.Equal("51", atHall.Attributes["home_province"]);
        var atGate = await story.VerifyAsync(rail.ApiKey, "rail.gate", wallet.Present());
        Assert.True(atGate.Verified);
        Assert.Empty(atGate.Attributes);

        using var read = await wallet.HistoryAsync(story.Http);
        var page = await read.Content.ReadFromJsonAsync<HistoryPageView>(ApiClientJson.Options);
        var registered = Assert.Single(page!.Entries, e => e.Kind == "residence_registered");
        Assert.Equal("device", registered.Channel);
        Assert.DoesNotContain(page.Entries, e => e.Note?.Contains("44", StringComparison.Ordinal) == true);

        // Verifications by Guangdong RPs of a Sichuan card are cross-province, in the history as in the answer's metric.
        Assert.All(page.Entries.Where(e => e.Kind == "verification"), e => Assert.True(e.CrossProvince));
    }

    [Fact]
    public async Task A_counter_registers_a_residence_only_after_a_live_face_match()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync(region: "110105");
        var hall = await story.RegisterAsync("government", "11", "gov.service");
        using var wallet = await story.ActivateAsync(id, face);

        var noFace = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/residence", new CounterResidenceRequest(id.Value, "33", null));
        Assert.Equal(HttpStatusCode.BadRequest, noFace.StatusCode);
        Assert.Equal("face_required", await Story.ErrorCodeAsync(noFace));
        var otherFace = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/residence",
            new CounterResidenceRequest(id.Value, "33", FaceVectors.Live(FaceVectors.Person(99_001))));
        Assert.Equal(HttpStatusCode.Forbidden, otherFace.StatusCode);
        Assert.Equal("face_mismatch", await Story.ErrorCodeAsync(otherFace));

        var unchanged = await story.VerifyAsync(hall.ApiKey, "gov.service", wallet.Present(), FaceVectors.Live(FaceVectors.Capture(face, 5)));
        Assert.Equal("11", unchanged.Attributes["residence_province"]); // none registered: the home province

        var ok = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/residence",
            new CounterResidenceRequest(id.Value, "33", FaceVectors.Live(FaceVectors.Capture(face, 6))));
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        var moved = await story.VerifyAsync(hall.ApiKey, "gov.service", wallet.Present(), FaceVectors.Live(FaceVectors.Capture(face, 7)));
        Assert.Equal("33", moved.Attributes["residence_province"]);
    }

    [Theory]
    [InlineData("99")]
    [InlineData("4")]
    [InlineData(null)]
    public async Task An_unknown_province_is_400_and_changes_nothing(string? province)
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync(region: "110105");
        var hall = await story.RegisterAsync("government", "11", "gov.service");
        using var wallet = await story.ActivateAsync(id, face);

        var refused = await wallet.RegisterResidenceAsync(story.Http, province!);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_province", await Story.ErrorCodeAsync(refused));

        var result = await story.VerifyAsync(hall.ApiKey, "gov.service", wallet.Present(), FaceVectors.Live(FaceVectors.Capture(face, 8)));
        Assert.Equal("11", result.Attributes["residence_province"]);
    }
}
