using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.RoadSafety.Tests;

[Collection(RoadSafetyCollection.Name)]
public sealed class SectionTests(RoadSafetyService service)
{
    private const double Length = 5000;

    private async Task<(Guid Section, Guid Entry, Guid Exit, HttpClient Vendor)> SectionAsync(bool verifiedEntry = true)
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var entry = verifiedEntry
            ? await service.VerifiedDeviceAsync(vendor, "section", lat: 43.0, lon: 71.0)
            : await service.RegisterAsync(RoadSafetyService.NewDevice(vendor, "section", lat: 43.0, lon: 71.0));
        var exit = await service.VerifiedDeviceAsync(vendor, "section", lat: 43.04, lon: 71.02);
        using var manager = service.Manager();
        using var response = await manager.PostAsJsonAsync("/api/roadsafety/sections",
            new { name = "M-39 km 500-505", entryDeviceId = entry, exitDeviceId = exit, lengthMeters = Length, speedLimitKmh = 90, maxTravelSeconds = 900 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var section = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        return (section, entry, exit, service.Vendor(vendor));
    }

    private async Task<JsonObject[]> PassagesAsync(Guid section)
    {
        using var reader = service.Reader();
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        return (await reader.GetFromJsonAsync<JsonArray>($"/api/roadsafety/sections/{section}/passages?from={from}&to={to}&limit=1000"))!
            .Select(p => p!.AsObject()).ToArray();
    }

    [Fact]
    public async Task EntryAndExitOfOnePlateAreMatchedAndAFastAverageIsAViolation()
    {
        var (section, entry, exit, vendor) = await SectionAsync();
        var t = DateTimeOffset.UtcNow.AddMinutes(-30);
        await service.PostBatchAsync(vendor, RoadSafetyService.Passage(entry, 1, t, "111FST01"), RoadSafetyService.Passage(entry, 2, t, "222SLW01"));
        // 5 km in 150 s is 120 km/h; in 300 s, 60 km/h.
        await service.PostBatchAsync(vendor, RoadSafetyService.Passage(exit, 1, t.AddSeconds(150), "111 fst 01"), RoadSafetyService.Passage(exit, 2, t.AddSeconds(300), "222SLW01"));

        var passages = await PassagesAsync(section);
        Assert.Equal(2, passages.Length);
        var fast = passages.Single(p => p["travelSeconds"]!.GetValue<double>() == 150);
        Assert.Equal("violation", fast["outcome"]!.GetValue<string>());
        Assert.Equal(120, fast["averageSpeedKmh"]!.GetValue<double>(), 3);
        Assert.Equal("within_limit", passages.Single(p => p["travelSeconds"]!.GetValue<double>() == 300)["outcome"]!.GetValue<string>());
        Assert.Equal(1, await service.ScalarAsync("SELECT count(*) FROM violations WHERE section_id = @s AND violation_code = 'average_speed'", ("s", section)));
        Assert.Equal(1, await service.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE aggregate_key = @k", ("k", exit.ToString())));
    }

    [Fact]
    public async Task AnExitPostedBeforeItsEntryIsMatchedWhenTheEntryArrives()
    {
        var (section, entry, exit, vendor) = await SectionAsync();
        var t = DateTimeOffset.UtcNow.AddMinutes(-20);
        await service.PostBatchAsync(vendor, RoadSafetyService.Passage(exit, 10, t.AddSeconds(120), "333LTE01"));
        Assert.Empty(await PassagesAsync(section));

        await service.PostBatchAsync(vendor, RoadSafetyService.Passage(entry, 10, t, "333LTE01"));

        var passage = Assert.Single(await PassagesAsync(section));
        Assert.Equal("violation", passage["outcome"]!.GetValue<string>());
        Assert.Equal(150, passage["averageSpeedKmh"]!.GetValue<double>(), 3);
    }

    [Fact]
    public async Task TheExitsAnswerCarriesTheSectionViolationAndSoDoesEveryRetryOfEitherEnd()
    {
        var (section, entry, exit, vendor) = await SectionAsync();
        var t = DateTimeOffset.UtcNow.AddMinutes(-25);
        object[] entries = [RoadSafetyService.Passage(entry, 20, t, "777SVI01")];
        object[] exits = [RoadSafetyService.Passage(exit, 20, t.AddSeconds(150), "777SVI01")];
        await service.PostBatchAsync(vendor, entries);
        var first = Assert.Single(RoadSafetyService.Results(await service.PostBatchAsync(vendor, exits)));

        var id = await service.ScalarGuidAsync("SELECT id FROM violations WHERE section_id = @s", ("s", section));
        Assert.Equal(id, first["sectionViolationId"]!.GetValue<Guid>());
        Assert.Null(first["violationId"]);
        var retried = Assert.Single(RoadSafetyService.Results(await service.PostBatchAsync(vendor, exits)));
        Assert.Equal("duplicate", retried["status"]!.GetValue<string>());
        Assert.Equal(id, retried["sectionViolationId"]!.GetValue<Guid>());
        // The violation is the exit's: the entry's retry has none.
        Assert.Null(Assert.Single(RoadSafetyService.Results(await service.PostBatchAsync(vendor, entries)))["sectionViolationId"]);
    }

    [Fact]
    public async Task AViolationAlreadyOnRecordForTheFixationGetsNoSecondEvent()
    {
        var (section, entry, exit, vendor) = await SectionAsync();
        var t = DateTimeOffset.UtcNow.AddMinutes(-15);
        var exitFixation = Assert.Single(RoadSafetyService.Results(
            await service.PostBatchAsync(vendor, RoadSafetyService.Passage(exit, 30, t.AddSeconds(150), "888DUP01"))))["fixationId"]!.GetValue<Guid>();
        // The exit's average-speed violation is on record already (as after a restore or a manual correction).
        var existing = Guid.NewGuid();
        await service.ScalarAsync("""
            INSERT INTO violations (id, kind, fixation_id, section_id, device_id, region, violation_code, occurred_at, rule_version, recorded_at)
            SELECT @id, 'section', id, @s, device_id, region, 'average_speed', occurred_at, rule_version, now() FROM fixations WHERE id = @f
            """, ("id", existing), ("s", section), ("f", exitFixation));

        // The entry arrives: the passage is matched as a violation, which the unique (fixation, kind) keeps from being recorded twice.
        await service.PostBatchAsync(vendor, RoadSafetyService.Passage(entry, 30, t, "888DUP01"));

        Assert.Equal("violation", Assert.Single(await PassagesAsync(section))["outcome"]!.GetValue<string>());
        Assert.Equal(1, await service.ScalarAsync("SELECT count(*) FROM violations WHERE fixation_id = @f", ("f", exitFixation)));
        Assert.Equal(0, await service.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE aggregate_key = @k", ("k", exit.ToString())));
        Assert.Equal(0, await service.ScalarAsync("SELECT coalesce(sum(violations), 0) FROM device_daily_counts WHERE device_id = @d", ("d", exit)));
    }

    [Fact]
    public async Task MissingExitsAndExitsOutsideTheWindowLeaveEntriesUnmatchedWithoutErrors()
    {
        var (section, entry, exit, vendor) = await SectionAsync();
        var t = DateTimeOffset.UtcNow.AddHours(-2);
        var first = await service.PostBatchAsync(vendor, RoadSafetyService.Passage(entry, 1, t, "444NOX01"), RoadSafetyService.Passage(entry, 2, t, "555OLD01"));
        Assert.Equal(2, first["accepted"]!.GetValue<int>());
        // 901 s is past the 900 s window: another trip. An exit of a plate that never entered matches nothing.
        var second = await service.PostBatchAsync(vendor, RoadSafetyService.Passage(exit, 1, t.AddSeconds(901), "555OLD01"),
            RoadSafetyService.Passage(exit, 2, t.AddSeconds(100), "666NEW01"));
        Assert.Equal(2, second["accepted"]!.GetValue<int>());

        Assert.Empty(await PassagesAsync(section));
        // Retrying both batches changes nothing.
        await service.PostBatchAsync(vendor, RoadSafetyService.Passage(entry, 1, t, "444NOX01"));
        Assert.Empty(await PassagesAsync(section));
    }

    [Fact]
    public async Task EntriesAndExitsPostedConcurrentlyAreMatchedExactlyOnce()
    {
        var (section, entry, exit, vendor) = await SectionAsync();
        var t = DateTimeOffset.UtcNow.AddMinutes(-40);
        const int Cars = 60;
        var entries = Enumerable.Range(0, Cars).Select(i => RoadSafetyService.Passage(entry, i, t.AddSeconds(i), $"{i:D3}CNC01")).ToArray();
        var exits = Enumerable.Range(0, Cars).Select(i => RoadSafetyService.Passage(exit, i, t.AddSeconds(i + 120 + i % 200), $"{i:D3}CNC01")).ToArray();

        // Entries and exits in small batches racing each other, and every batch posted twice.
        var posts = entries.Chunk(5).Concat(exits.Chunk(5)).SelectMany(chunk => new[] { chunk, chunk })
            .Select(chunk => Task.Run(() => service.PostBatchAsync(vendor, chunk)));
        await Task.WhenAll(posts);

        var passages = await PassagesAsync(section);
        Assert.Equal(Cars, passages.Length);
        Assert.Equal(Cars, passages.Select(p => p["entryFixationId"]!.GetValue<Guid>()).Distinct().Count());
        Assert.Equal(Cars, passages.Select(p => p["exitFixationId"]!.GetValue<Guid>()).Distinct().Count());
        Assert.Equal(passages.Count(p => p["outcome"]!.GetValue<string>() == "violation"),
            await service.ScalarAsync("SELECT count(*) FROM violations WHERE section_id = @s", ("s", section)));
    }

    [Fact]
    public async Task APassageThroughAnUnverifiedEndIsInadmissibleAndNoViolation()
    {
        var (section, entry, exit, vendor) = await SectionAsync(verifiedEntry: false);
        var t = DateTimeOffset.UtcNow.AddMinutes(-15);
        await service.PostBatchAsync(vendor, RoadSafetyService.Passage(entry, 1, t, "777UNV01"), RoadSafetyService.Passage(exit, 1, t.AddSeconds(100), "777UNV01"));

        var passage = Assert.Single(await PassagesAsync(section));
        Assert.Equal(("inadmissible", "not_verified"), (passage["outcome"]!.GetValue<string>(), passage["reason"]!.GetValue<string>()));
        Assert.Equal(0, await service.ScalarAsync("SELECT count(*) FROM violations WHERE section_id = @s", ("s", section)));
    }
}
