using System.Text.RegularExpressions;
using NationalId.Client.Faces;

namespace NationalId.Tests.EndToEnd;

/// <summary>With tracing on, the spans an exporter receives (ASP.NET Core's and Orleans' grain calls) carry no ID number, name or handle.</summary>
[Collection(GatewayCollection.Name)]
public partial class TracePrivacyTests(GatewayFixture gateway)
{
    [Fact]
    public async Task Exported_spans_of_the_story_hold_no_personal_data()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync(region: "370102", name: "Xin Qiji");
        using var phone = await story.ActivateAsync(id, face);
        var hotel = await story.RegisterAsync("hotel", "37", "hotel.checkin");
        var answer = await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", phone.Present(), FaceVectors.Live(FaceVectors.Capture(face, 2)));
        Assert.True(answer.Verified);
        await CounterTests.IssueCard(story, id, face);

        System.Diagnostics.Activity[] spans;
        lock (gateway.ExportedSpans)
        {
            spans = [.. gateway.ExportedSpans];
        }

        var texts = spans.SelectMany(s => new[] { s.DisplayName }.Concat(s.TagObjects.Select(t => $"{t.Key}={t.Value}"))).ToList();
        Assert.Contains(spans, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)); // grain calls are traced
        Assert.Contains(texts, t => t.Contains("[redacted]", StringComparison.Ordinal)); // and their handles were there to redact
        foreach (var text in texts)
        {
            Assert.DoesNotContain(id.Value, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Xin Qiji", text, StringComparison.Ordinal);
            Assert.DoesNotContain(phone.File.CitizenHandle!, text, StringComparison.Ordinal);
            Assert.DoesNotContain(answer.Pseudonym!, text, StringComparison.Ordinal);
            Assert.DoesNotMatch(Handle(), text);
        }
    }

    [GeneratedRegex(@"\bc\d{2}-[a-z2-7]{32}\b")]
    private static partial Regex Handle();
}
