using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using NationalId.Api;
using NationalId.Client;
using NationalId.Client.Faces;

namespace NationalId.Tests.EndToEnd;

/// <summary>The citizen's own record: complete, newest first, paged, value-free; each reader sees only what is theirs.</summary>
[Collection(GatewayCollection.Name)]
public class HistoryTests(GatewayFixture gateway)
{
    [Fact]
    public async Task N_verifications_with_mixed_outcomes_give_exactly_n_records_newest_first_without_values()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync(name: "Gao Min");
        var hotel = await story.RegisterAsync("hotel", "44", "hotel.checkin");
        using var phone = await story.ActivateAsync(id, face);
        var expected = new List<string?>();
        for (var i = 0; i < 7; i++)
        {
            var withFace = i % 3 != 0;
            var result = await story.VerifyAsync(hotel.ApiKey, "hotel.checkin", phone.Present(), withFace ? FaceVectors.Live(FaceVectors.Capture(face, i)) : null);
            expected.Insert(0, result.Reason);
        }

        var all = new List<HistoryEntryView>();
        string? before = null;
        do
        {
            var response = await phone.HistoryAsync(story.Http, before, limit: 3);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<HistoryPageView>(ApiClientJson.Options))!;
            all.AddRange(page.Entries);
            before = page.Next;
        }
        while (before is not null);

        var verifications = all.Where(e => e.Kind == "verification").ToList();
        Assert.Equal(7, verifications.Count);
        Assert.Equal(expected, verifications.Select(v => v.Reason));
        Assert.Equal(all.Count, all.Select(e => e.EventId).Distinct().Count());
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.At >= p.Second.At));
        Assert.All(verifications, v => Assert.Equal(hotel.RelyingPartyId, v.RelyingPartyId));
        Assert.All(verifications, v => Assert.StartsWith("Test hotel", v.RelyingPartyName, StringComparison.Ordinal));
        Assert.All(verifications.Where(v => v.Verified == true), v => Assert.Equal(["name", "age_over_18"], v.DisclosedAttributes!));

        Assert.Equal(0, await gateway.Database.CountAsync("SELECT count(*) FROM access_history WHERE note LIKE '%Gao Min%' OR array_to_string(disclosed_attributes, ',') LIKE '%Gao Min%'"));
    }

    [Fact]
    public async Task An_rp_reads_only_its_own_verifications()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        var mine = await story.RegisterAsync("rail", "11", "rail.gate");
        var theirs = await story.RegisterAsync("other", "31", "age.over18");
        using var phone = await story.ActivateAsync(id, face);
        var v1 = await story.VerifyAsync(mine.ApiKey, "rail.gate", phone.Present());
        var v2 = await story.VerifyAsync(mine.ApiKey, "rail.gate", phone.Present());
        await story.VerifyAsync(theirs.ApiKey, "age.over18", phone.Present());

        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/relying-parties/me/verifications");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", mine.ApiKey);
        var log = (await (await story.Http.SendAsync(request)).Content.ReadFromJsonAsync<RelyingPartyLogView>(ApiClientJson.Options))!;
        Assert.Equal([v2.VerificationId, v1.VerificationId], log.Entries.Select(e => e.VerificationId));
        Assert.All(log.Entries, e => Assert.Equal("rail.gate", e.Scope));
    }

    [Fact]
    public async Task An_operator_reads_a_history_only_with_a_reason_and_the_citizen_sees_it()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);

        var noReason = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/history", new OperatorHistoryRequest(id.Value, "", null, null));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("reason_required", await Story.ErrorCodeAsync(noReason));
        var before = (await (await phone.HistoryAsync(story.Http)).Content.ReadFromJsonAsync<HistoryPageView>(ApiClientJson.Options))!;
        Assert.DoesNotContain(before.Entries, e => e.Kind == "operator_read");

        var read = await story.Http.PostAsOperator(gateway.OperatorKey, "/v1/operator/citizens/history", new OperatorHistoryRequest(id.Value, "court order 2026-117", null, null));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        var after = (await (await phone.HistoryAsync(story.Http)).Content.ReadFromJsonAsync<HistoryPageView>(ApiClientJson.Options))!;
        var entry = Assert.Single(after.Entries, e => e.Kind == "operator_read");
        Assert.Equal("court order 2026-117", entry.Note);
    }

    [Fact]
    public async Task Unsigned_or_wrongly_signed_history_reads_are_401()
    {
        using var story = new Story(gateway);
        var (id, face) = await story.EnrollAsync();
        using var phone = await story.ActivateAsync(id, face);
        Assert.Equal(HttpStatusCode.Unauthorized, (await story.Http.GetAsync("/v1/wallet/history")).StatusCode);

        using var thief = NationalId.Client.Wallet.Wallet.Create();
        thief.File.CredentialReference = phone.File.CredentialReference;
        var response = await thief.HistoryAsync(story.Http);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("device_signature_invalid", await Story.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task Old_daily_partitions_are_dropped_after_the_retention_and_recent_ones_kept()
    {
        Assert.True(await gateway.Database.CountAsync("SELECT nid_history_ensure_partitions(40, 2)") >= 0);
        var old = await gateway.Database.CountAsync(
            "SELECT count(*) FROM pg_class WHERE relname ~ '^access_history_p[0-9]{8}$' AND to_date(substr(relname, 17), 'YYYYMMDD') < (now() AT TIME ZONE 'UTC')::date - 30");
        Assert.True(old >= 9);

        Assert.Equal(old, await gateway.Database.CountAsync("SELECT nid_history_drop_partitions(30)"));
        Assert.Equal(0, await gateway.Database.CountAsync(
            "SELECT count(*) FROM pg_class WHERE relname ~ '^access_history_p[0-9]{8}$' AND to_date(substr(relname, 17), 'YYYYMMDD') < (now() AT TIME ZONE 'UTC')::date - 30"));
        Assert.Equal(1, await gateway.Database.CountAsync(
            "SELECT count(*) FROM pg_class WHERE relname = 'access_history_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD')"));
    }
}
