using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using NationalId.Api;
using NationalId.Citizens;
using NationalId.Client;
using NationalId.Client.Audit;
using NationalId.Storage;

namespace NationalId.Tests.EndToEnd;

/// <summary>
/// Citizens' state, replay fence and history live in their own shard, found from the handle alone; an RP's log spans
/// the shards and pages through them complete and in order; the audit covers every shard; and a database that was
/// given another role never silently serves a different share of citizens.
/// </summary>
public sealed class ShardedStorageTests(ShardedGatewayFixture gateway) : IClassFixture<ShardedGatewayFixture>
{
    // Beijing (North, shard a), Shanghai (East: either shard by bucket), Guangzhou (South, b), Chengdu (Southwest, b).
    private static readonly string[] Regions = ["110101", "310101", "310104", "440106", "510104"];

    [Fact]
    public async Task Each_citizen_lives_in_its_shard_and_the_national_database_holds_no_citizen()
    {
        using var story = new Story(gateway);
        var map = gateway.Services.GetRequiredService<ShardMap>();
        var handles = gateway.Services.GetRequiredService<CitizenHandles>();
        var rp = await story.RegisterAsync("hotel", "44", "age.over18");
        var placed = new List<(string Handle, string Shard)>();
        foreach (var region in Regions.SelectMany(r => Enumerable.Repeat(r, 4)))
        {
            var (id, face) = await story.EnrollAsync(region);
            using var phone = await story.ActivateAsync(id, face);
            await story.VerifyAsync(rp.ApiKey, "age.over18", phone.Present());
            var handle = handles.For(id);
            Assert.Equal(handle, phone.File.CitizenHandle);
            placed.Add((handle, map.ShardOf(handle).Name));
        }

        Assert.Contains(placed, p => p.Shard == "a");
        Assert.Contains(placed, p => p.Shard == "b");
        foreach (var shard in new[] { "a", "b" })
        {
            var database = gateway.ShardNamed(shard);
            var mine = placed.Where(p => p.Shard == shard).Select(p => p.Handle).ToHashSet();
            foreach (var handle in mine)
            {
                Assert.Equal(1, await database.CountAsync($"SELECT count(*) FROM orleans_grain_state_json WHERE grain_type = 'citizen' AND grain_key_ext = '{handle}'"));
                Assert.Equal(1, await database.CountAsync($"SELECT count(*) FROM access_history WHERE citizen_handle = '{handle}' AND kind = 'verification'"));
                Assert.Equal(1, await database.CountAsync($"SELECT count(*) FROM presentation_nonce WHERE citizen_handle = '{handle}'"));
            }

            // Nothing of another shard's citizens is here (other tests' citizens included).
            Assert.All(await HandlesAsync(database, "SELECT grain_key_ext FROM orleans_grain_state_json WHERE grain_type = 'citizen'"), h => Assert.Equal(shard, map.ShardOf(h).Name));
            Assert.All(await HandlesAsync(database, "SELECT DISTINCT citizen_handle FROM access_history"), h => Assert.Equal(shard, map.ShardOf(h).Name));
            Assert.All(await HandlesAsync(database, "SELECT DISTINCT citizen_handle FROM presentation_nonce"), h => Assert.Equal(shard, map.ShardOf(h).Name));
        }

        Assert.Equal(0, await gateway.Database.CountAsync("SELECT count(*) FROM orleans_grain_state WHERE grain_type = 'citizen'"));
        Assert.Equal(0, await gateway.Database.CountAsync("SELECT count(*) FROM access_history"));
        Assert.Equal(0, await gateway.Database.CountAsync("SELECT count(*) FROM presentation_nonce"));
        Assert.True(await gateway.Database.CountAsync("SELECT count(*) FROM orleans_grain_state WHERE grain_type = 'relying-party'") >= 1);
    }

    [Fact]
    public async Task An_rps_log_across_shards_pages_back_complete_newest_first()
    {
        using var story = new Story(gateway);
        var map = gateway.Services.GetRequiredService<ShardMap>();
        var rp = await story.RegisterAsync("bank", "31", "age.over18");
        var answered = new List<(Guid Id, string Shard)>();
        foreach (var region in Regions.SelectMany(r => Enumerable.Repeat(r, 3)))
        {
            var (id, face) = await story.EnrollAsync(region);
            using var phone = await story.ActivateAsync(id, face);
            for (var i = 0; i < 2; i++)
            {
                answered.Add(((await story.VerifyAsync(rp.ApiKey, "age.over18", phone.Present())).VerificationId, map.ShardOf(phone.File.CitizenHandle!).Name));
            }
        }

        Assert.Equal(2, answered.Select(a => a.Shard).Distinct().Count());
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/relying-parties/me/verifications?limit=7{(cursor is null ? string.Empty : $"&before={cursor}")}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rp.ApiKey);
            using var response = await story.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<RelyingPartyLogView>(ApiClientJson.Options))!;
            Assert.True(page.Entries.Count <= 7);
            seen.AddRange(page.Entries.Select(e => e.VerificationId));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(answered.Select(a => a.Id).OrderDescending(), seen);
    }

    [Fact]
    public async Task The_audit_checks_every_shards_chains_together()
    {
        using var story = new Story(gateway);
        var rp = await story.RegisterAsync("hotel", "11", "age.over18");
        foreach (var region in Regions)
        {
            var (id, face) = await story.EnrollAsync(region);
            using var phone = await story.ActivateAsync(id, face);
            await story.VerifyAsync(rp.ApiKey, "age.over18", phone.Present());
        }

        var report = await AuditVerifier.VerifyAsync([gateway.ShardA.ConnectionString, gateway.ShardB.ConnectionString]);
        Assert.True(report.Intact);
        Assert.True(report.Chains >= 2);
        Assert.Equal(
            await gateway.ShardA.CountAsync("SELECT count(*) FROM access_history") + await gateway.ShardB.CountAsync("SELECT count(*) FROM access_history"),
            report.Lines);

        // Heads exported over both shards: checking one shard alone finds the other's chains gone, as it should.
        var alone = await AuditVerifier.VerifyAsync([gateway.ShardA.ConnectionString], exported: report.Heads);
        Assert.Equal("the whole chain is gone", alone.FirstBroken?.Problem);
        Assert.True((await AuditVerifier.VerifyAsync([gateway.ShardA.ConnectionString, gateway.ShardB.ConnectionString], exported: report.Heads)).Intact);
    }

    [Theory]
    [InlineData("--Storage:Shards:b:Serves:0=East:2000-4095")] // b reaches into a's half of East
    [InlineData("--Storage:Shards:a:Serves:2=East:0-2048")] // a reaches into b's
    public async Task A_map_that_is_not_a_partition_refuses_to_start(string change)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => gateway.BuildAnotherAsync(change));
        Assert.Contains("two shards", error.Message);
    }

    [Fact]
    public async Task A_database_given_another_share_of_citizens_refuses_to_start()
    {
        // The same two databases with their shares swapped: a partition, but not what the databases hold.
        string[] swapped = [.. ShardedGatewayFixture.Shard("a", gateway.ShardB, ShardedGatewayFixture.ServedByA), .. ShardedGatewayFixture.Shard("b", gateway.ShardA, ShardedGatewayFixture.ServedByB)];
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => gateway.BuildAnotherAsync(swapped));
        Assert.Contains("but this silo is configured for", error.Message);

        // Unsharded again: the national database, which holds no citizen, may not start holding them all.
        var unsharded = new ShardMap(new NationalId.Placement.RegionMap(NationalId.Placement.RegionMap.Default), new StorageOptions(), gateway.Database.ConnectionString);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => NationalId.Silo.Database.SchemaMigrator.ApplyAllAsync(
            unsharded, gateway.Database.ConnectionString, Path.Combine(AppContext.BaseDirectory, "sql"), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
        Assert.Contains("holds 'national: no citizens'", refused.Message);
    }

    [Fact]
    public async Task Readiness_reports_every_shard()
    {
        using var http = gateway.CreateClient();
        var report = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/health/ready");
        Assert.Equal("ready", report.GetProperty("status").GetString());
        Assert.Equal("""{"a":"ok","b":"ok"}""", report.GetProperty("shards").GetRawText());
    }

    private static async Task<List<string>> HandlesAsync(PostgresDatabase database, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var handles = new List<string>();
        while (await reader.ReadAsync())
        {
            handles.Add(reader.GetString(0));
        }

        return handles;
    }
}
