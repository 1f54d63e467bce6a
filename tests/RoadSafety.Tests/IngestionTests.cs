using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.RoadSafety.Tests;

[Collection(RoadSafetyCollection.Name)]
public sealed class IngestionTests(RoadSafetyService service)
{
    [Fact]
    public async Task ALapsedVerificationMakesFixationsInadmissibleFromTheExactMomentOfExpiry()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var device = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor));
        var expiry = new DateTimeOffset(DateTime.UtcNow.AddHours(-2).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        await service.VerifyAsync(device, expiry.AddYears(-1), expiry);
        using var client = service.Vendor(vendor);

        var batch = await service.PostBatchAsync(client,
            RoadSafetyService.Speeding(device, 1, expiry.AddMilliseconds(-1)),
            RoadSafetyService.Speeding(device, 2, expiry),
            RoadSafetyService.Speeding(device, 3, expiry.AddMinutes(30)));

        var results = RoadSafetyService.Results(batch);
        Assert.Equal("accepted", results[0]["status"]!.GetValue<string>());
        Assert.NotNull(results[0]["violationId"]);
        Assert.All(results[1..], r =>
        {
            Assert.Equal("inadmissible", r["status"]!.GetValue<string>());
            Assert.Equal("verification_lapsed", r["reason"]!.GetValue<string>());
            Assert.Null(r["violationId"]);
        });
        // Kept, marked, never published.
        Assert.Equal(2, await service.ScalarAsync("SELECT count(*) FROM fixations WHERE device_id = @d AND outcome = 'inadmissible'", ("d", device)));
        Assert.Equal(1, await service.ScalarAsync("SELECT count(*) FROM violations WHERE device_id = @d", ("d", device)));
        Assert.Equal(1, await service.ScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE aggregate_key = @k AND message_type LIKE '%ViolationRecorded%'", ("k", device.ToString())));

        using var reader = service.Reader();
        var view = await reader.GetFromJsonAsync<JsonObject>($"/api/roadsafety/devices/{device}");
        Assert.True(view!["verificationLapsed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ARenewedCertificateMakesLaterFixationsAdmissibleAgain()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var device = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor));
        var expiry = DateTimeOffset.UtcNow.AddHours(-3);
        await service.VerifyAsync(device, expiry.AddYears(-1), expiry);
        await service.VerifyAsync(device, expiry.AddHours(1), expiry.AddYears(1));
        using var client = service.Vendor(vendor);

        var results = RoadSafetyService.Results(await service.PostBatchAsync(client,
            RoadSafetyService.Speeding(device, 1, expiry.AddMinutes(30)), RoadSafetyService.Speeding(device, 2, expiry.AddMinutes(90))));

        Assert.Equal(["inadmissible", "accepted"], results.Select(r => r["status"]!.GetValue<string>()));
        Assert.Equal("verification_lapsed", results[0]["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheSameBatchPostedTwiceGivesTheSameAnswerAndOneSetOfViolations()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var device = await service.VerifiedDeviceAsync(vendor);
        var other = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor));
        using var client = service.Vendor(vendor);
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        var records = new List<object>();
        for (var i = 0; i < 200; i++)
        {
            // Every fourth is within the tolerance: inadmissible, no violation.
            records.Add(RoadSafetyService.Speeding(device, i, at.AddSeconds(i), $"{i:D3}ABC02", speed: i % 4 == 0 ? 65 : 95));
        }

        records.Add(RoadSafetyService.Speeding(other, 1, at));                       // never verified
        records.Add(RoadSafetyService.Speeding(device, 5, at.AddSeconds(5)));       // a repeat inside the batch
        records.Add(new { deviceId = device, sequence = 999, occurredAt = at, plate = "?" }); // malformed

        var first = RoadSafetyService.Results(await service.PostBatchAsync(client, [.. records]));
        var second = RoadSafetyService.Results(await service.PostBatchAsync(client, [.. records]));

        Assert.Equal(150, first.Count(r => r["status"]!.GetValue<string>() == "accepted"));
        Assert.Equal("not_verified", first[200]["reason"]!.GetValue<string>());
        Assert.Equal("duplicate", first[201]["status"]!.GetValue<string>());
        Assert.Equal("rejected", first[202]["status"]!.GetValue<string>());
        for (var i = 0; i < first.Length; i++)
        {
            var a = first[i];
            var b = second[i];
            var original = a["status"]!.GetValue<string>() is "duplicate" ? a["originalStatus"]!.GetValue<string>() : a["status"]!.GetValue<string>();
            if (original == "rejected")
            {
                Assert.Equal("rejected", b["status"]!.GetValue<string>());
                continue;
            }

            Assert.Equal("duplicate", b["status"]!.GetValue<string>());
            Assert.Equal(original, b["originalStatus"]!.GetValue<string>());
            Assert.Equal(a["fixationId"]!.GetValue<Guid>(), b["fixationId"]!.GetValue<Guid>());
            Assert.Equal(a["violationId"]?.GetValue<Guid>(), b["violationId"]?.GetValue<Guid>());
            Assert.Equal(a["reason"]?.GetValue<string>(), b["reason"]?.GetValue<string>());
        }

        Assert.Equal(150, await service.ScalarAsync("SELECT count(*) FROM violations WHERE device_id = @d", ("d", device)));
        Assert.Equal(150, await service.ScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE aggregate_key = @k AND message_type LIKE '%ViolationRecorded%'", ("k", device.ToString())));
        Assert.Equal(201, await service.ScalarAsync("SELECT sum(fixations) FROM device_daily_counts WHERE device_id IN (@d, @o)", ("d", device), ("o", other)));
        // The dispatcher publishes them to RabbitMQ (the row is marked sent once the broker confirmed it).
        Assert.True(await PublicSafety.Testing.Eventually.HoldsAsync(async () => await service.ScalarAsync(
            "SELECT count(*) FROM outbox_messages WHERE aggregate_key = @k AND sent_at IS NOT NULL", ("k", device.ToString())) == 150, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task ConcurrentRetriesOfOneBatchRecordEachViolationOnce()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var device = await service.VerifiedDeviceAsync(vendor);
        using var client = service.Vendor(vendor);
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var records = Enumerable.Range(0, 300).Select(i => RoadSafetyService.Speeding(device, i, at.AddMilliseconds(i * 10), $"{i:D3}KZA01")).ToArray();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => service.PostBatchAsync(client, records)));

        Assert.Equal(300, answers.Sum(a => a["accepted"]!.GetValue<int>()));
        Assert.Equal(900, answers.Sum(a => a["duplicates"]!.GetValue<int>()));
        Assert.Equal(300, await service.ScalarAsync("SELECT count(*) FROM violations WHERE device_id = @d", ("d", device)));
    }

    [Fact]
    public async Task AVendorCannotPostForAnotherVendorsDevice()
    {
        var mine = $"vendor-{Guid.NewGuid():N}";
        var theirs = $"vendor-{Guid.NewGuid():N}";
        var myDevice = await service.VerifiedDeviceAsync(mine);
        var theirDevice = await service.VerifiedDeviceAsync(theirs);
        using var client = service.Vendor(mine);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);

        var results = RoadSafetyService.Results(await service.PostBatchAsync(client,
            RoadSafetyService.Speeding(myDevice, 1, at), RoadSafetyService.Speeding(theirDevice, 1, at), RoadSafetyService.Speeding(Guid.NewGuid(), 1, at)));

        Assert.Equal("accepted", results[0]["status"]!.GetValue<string>());
        // A device of another vendor and a device that does not exist look the same.
        Assert.All(results[1..], r => Assert.Equal(("rejected", "not_your_device"), (r["status"]!.GetValue<string>(), r["reason"]!.GetValue<string>())));
        Assert.Equal(0, await service.ScalarAsync("SELECT count(*) FROM fixations WHERE device_id = @d", ("d", theirDevice)));

        // A reader's token can't post at all.
        using var reader = service.Reader();
        using var refused = await reader.PostAsJsonAsync("/api/roadsafety/fixations/batches", new { fixations = new[] { RoadSafetyService.Speeding(myDevice, 2, at) } });
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task FutureTimesImplausibleValuesAndToleranceAreJudgedPerRecord()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var device = await service.VerifiedDeviceAsync(vendor);
        var red = await service.VerifiedDeviceAsync(vendor, "red_light");
        using var client = service.Vendor(vendor);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        object RedLight(long seq, int elapsed) => new
        {
            deviceId = red, sequence = seq, occurredAt = at, plate = "777AAA01", violationCode = "red_light", redElapsedMs = elapsed,
            evidence = new[] { new { kind = "video", id = "v1", sha256 = new string('b', 64) } },
        };

        var results = RoadSafetyService.Results(await service.PostBatchAsync(client,
            RoadSafetyService.Speeding(device, 1, DateTimeOffset.UtcNow.AddHours(1)),
            RoadSafetyService.Speeding(device, 2, at, speed: 900),
            RoadSafetyService.Speeding(device, 3, at, speed: 70, limit: 60),
            RoadSafetyService.Speeding(device, 4, at, speed: 71, limit: 60),
            RedLight(1, 499), RedLight(2, 500),
            new { deviceId = device, sequence = 5, occurredAt = at, plate = "123ABC02", speedKmh = 99, limitKmh = 60, violationCode = "speeding" },
            new { deviceId = red, sequence = 3, occurredAt = at, plate = "123ABC02", speedKmh = 99, limitKmh = 60, violationCode = "speeding",
                  evidence = new[] { new { kind = "photo", id = "p", sha256 = new string('c', 64) } } }));

        string Say(JsonObject r) => $"{r["status"]}:{r["reason"]}";
        Assert.Equal(
            ["rejected:future_time", "rejected:implausible_speed", "inadmissible:within_speed_tolerance", "accepted:",
             "inadmissible:within_red_light_grace", "accepted:", "rejected:evidence_required", "rejected:code_not_supported_by_device"],
            results.Select(Say));
        Assert.Equal(1, await service.ScalarAsync("SELECT count(DISTINCT rule_version) FROM fixations WHERE device_id IN (@a, @b)", ("a", device), ("b", red)));
        // 900 km/h is above the rule's highest plausible speed: the rule decided, so the answer names its version.
        Assert.Equal(results[3]["ruleVersion"]!.GetValue<int>(), results[1]["ruleVersion"]!.GetValue<int>());
        Assert.Null(results[0]["ruleVersion"]);
    }

    [Fact]
    public async Task TheDevicesLifecycleStatusDecidesAndAFixationOlderThanTheMaximumAgeIsTooOld()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var planned = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor, status: "planned"));
        var installed = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor, status: "installed"));
        var maintenance = await service.VerifiedDeviceAsync(vendor);
        var decommissioned = await service.VerifiedDeviceAsync(vendor);
        var active = await service.VerifiedDeviceAsync(vendor);
        // Verified like the active one, so that only the status can make the difference.
        foreach (var device in new[] { planned, installed })
        {
            await service.VerifyAsync(device, DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(1));
        }

        using (var manager = service.Manager())
        {
            foreach (var (device, to) in new[] { (maintenance, "maintenance"), (decommissioned, "decommissioned") })
            {
                using var moved = await manager.PostAsJsonAsync($"/api/roadsafety/devices/{device}/transitions", new { to });
                Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
            }
        }

        using var client = service.Vendor(vendor);
        var at = DateTimeOffset.UtcNow.AddMinutes(-3);
        var results = RoadSafetyService.Results(await service.PostBatchAsync(client,
            RoadSafetyService.Speeding(planned, 1, at), RoadSafetyService.Speeding(installed, 1, at), RoadSafetyService.Speeding(maintenance, 1, at),
            RoadSafetyService.Speeding(decommissioned, 1, at), RoadSafetyService.Speeding(active, 1, DateTimeOffset.UtcNow.AddDays(-31)),
            RoadSafetyService.Speeding(active, 2, DateTimeOffset.UtcNow.AddDays(-29))));

        Assert.Equal(
            ["rejected:device_not_in_service", "inadmissible:device_not_commissioned", "inadmissible:device_under_maintenance",
             "rejected:device_not_in_service", "rejected:too_old", "accepted:"],
            results.Select(r => $"{r["status"]}:{r["reason"]}"));
        Assert.All(results.Where(r => r["status"]!.GetValue<string>() == "inadmissible"), r => Assert.Null(r["violationId"]));
        Assert.Equal(0, await service.ScalarAsync("SELECT count(*) FROM fixations WHERE device_id IN (@p, @d)", ("p", planned), ("d", decommissioned)));
        Assert.Equal(2, await service.ScalarAsync(
            "SELECT count(*) FROM fixations WHERE device_id IN (@i, @m) AND outcome = 'inadmissible'", ("i", installed), ("m", maintenance)));
        Assert.Equal(1, await service.ScalarAsync("SELECT count(*) FROM fixations WHERE device_id = @a", ("a", active)));
    }

    [Fact]
    public async Task PlatesAreReturnedOnlyToReaders()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var device = await service.VerifiedDeviceAsync(vendor);
        using var client = service.Vendor(vendor);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        await service.PostBatchAsync(client, RoadSafetyService.Speeding(device, 1, at, "555 kzk 02"));
        var range = $"from={Uri.EscapeDataString(at.AddMinutes(-1).ToString("O"))}&to={Uri.EscapeDataString(at.AddMinutes(1).ToString("O"))}";

        using var reader = service.Reader();
        var fixations = await reader.GetFromJsonAsync<JsonArray>($"/api/roadsafety/fixations?deviceId={device}&{range}");
        Assert.Equal("555KZK02", fixations![0]!["plate"]!.GetValue<string>());
        var violations = await reader.GetFromJsonAsync<JsonArray>($"/api/roadsafety/violations?deviceId={device}&{range}");
        Assert.Single(violations!);

        using var other = service.Reader("KZ-75");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await other.GetAsync($"/api/roadsafety/fixations?deviceId={device}&{range}")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await client.GetAsync($"/api/roadsafety/fixations?deviceId={device}&{range}")).StatusCode);
        var body = await (await service.Client("roadsafety.manage").GetAsync($"/api/roadsafety/violations?{range}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("555KZK02", body);
        Assert.DoesNotContain("555KZK02", await File.ReadAllTextAsync(service.Process.LogFile));
        // The event says what happened where, not who.
        Assert.Equal(1, await service.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE aggregate_key = @k AND body::text NOT LIKE '%KZK%'", ("k", device.ToString())));
        Assert.Equal(0, await service.ScalarAsync("SELECT count(*) FROM outbox_messages WHERE body::text LIKE '%ph-1%' OR body::text LIKE '%sha256%'"));
    }
}

[Collection(RoadSafetyCollection.Name)]
public sealed class PassportTests(RoadSafetyService service)
{
    [Fact]
    public async Task ARenewedTypeApprovalMakesLaterFixationsAdmissibleAndChangingTheKindIsRefused()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var device = await service.VerifiedDeviceAsync(vendor);
        var fields = RoadSafetyService.NewDevice(vendor);
        var passport = fields.GetType().GetProperties().ToDictionary(p => p.Name, p => p.GetValue(fields));
        passport["status"] = null;
        passport["approvalValidUntil"] = "2020-01-01";
        using var manager = service.Manager();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await manager.PutAsJsonAsync($"/api/roadsafety/devices/{device}", passport)).StatusCode);
        using var client = service.Vendor(vendor);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        Assert.Equal("type_approval_expired", RoadSafetyService.Results(await service.PostBatchAsync(client, RoadSafetyService.Speeding(device, 1, at)))[0]["reason"]!.GetValue<string>());

        passport["approvalValidUntil"] = "2031-12-31";
        Assert.Equal(System.Net.HttpStatusCode.OK, (await manager.PutAsJsonAsync($"/api/roadsafety/devices/{device}", passport)).StatusCode);
        Assert.Equal("accepted", RoadSafetyService.Results(await service.PostBatchAsync(client, RoadSafetyService.Speeding(device, 2, at)))[0]["status"]!.GetValue<string>());

        passport["kind"] = "lane";
        using var refused = await manager.PutAsJsonAsync($"/api/roadsafety/devices/{device}", passport);
        Assert.Equal(System.Net.HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("Kind and region are fixed", (await RoadSafetyService.ProblemAsync(refused))["title"]!.GetValue<string>());
    }
}
