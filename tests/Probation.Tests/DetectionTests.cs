using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PublicSafety.Probation.Evaluation;
using PublicSafety.Testing;

namespace PublicSafety.Probation.Tests;

/// <summary>Rule evaluation through the API of the running service: curfews, exclusion zones, arrival order, duplicates.</summary>
public sealed class DetectionTests(ProbationService probation) : IClassFixture<ProbationService>
{
    private const string Vendor = "vendor-gps-a";

    /// <summary>22:00 local (17:00 UTC, Kazakhstan is UTC+5) two days ago: the start of a 22:00–06:00 curfew window.</summary>
    private static readonly DateTimeOffset WindowStart = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-2).AddHours(17);

    private static readonly DateTimeOffset WindowEnd = WindowStart.AddHours(8);

    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private async Task<TelemetryResult> SendAsync(string vendor, IEnumerable<object> positions, IEnumerable<object>? events = null)
    {
        using var client = probation.Vendor(vendor);
        var response = await client.PostAsJsonAsync("/api/probation/telemetry", new { positions = positions.ToArray(), events = events?.ToArray() });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<TelemetryResult>())!;
    }

    /// <summary>
    /// A person's violations that started in the window under test or before it. A person these tests leave away from
    /// home (even between two batches) is rightly found in breach by the curfew sweeper in the window that holds the
    /// present moment, whenever the tests run between 22:00 and 06:00 in Almaty: that breach is the sweeper's, not theirs.
    /// </summary>
    private async Task<List<(string Kind, DateTimeOffset StartedAt)>> UntilWindowEndAsync(Guid person) =>
        [.. (await probation.ViolationsAsync(person)).Where(v => v.StartedAt < WindowEnd)];

    private async Task<List<JsonElement>> DetectedUntilWindowEndAsync(Guid person) =>
        [.. (await probation.OutboxAsync(person, "ProbationViolationDetected")).Where(e => e.GetProperty("startedAt").GetDateTimeOffset() < WindowEnd)];

    [Fact]
    public async Task CurfewBreachIsDetectedInsideTheWindowAndNotOutsideIt()
    {
        var officer = probation.NewOfficer();
        var away = await officer.CreatePersonAsync();
        var home = await officer.CreatePersonAsync();
        await officer.AddHomeAsync(away.Id);
        await officer.AddHomeAsync(home.Id);
        var awaySerial = await officer.AssignBraceletAsync(away.Id, Vendor);
        var homeSerial = await officer.AssignBraceletAsync(home.Id, Vendor);

        // 20:00–21:50 local: both out, 500 m from home, and the second one home by 21:50. No curfew yet. From here on the
        // curfew sweeper may rightly find the first one in breach at 22:00 (last seen away), before the night's fixes
        // arrive: the same breach the night's fixes show, recorded once.
        var evening = Enumerable.Range(0, 12).Select(i => WindowStart.AddHours(-2).AddMinutes(i * 10)).ToArray();
        await SendAsync(Vendor, evening.Select(t => ProbationService.Position(awaySerial, t, 500, 10))
            .Concat(evening.Select(t => ProbationService.Position(homeSerial, t, t == evening[^1] ? 10 : 500, 10))));
        Assert.DoesNotContain(await UntilWindowEndAsync(away.Id), v => v.StartedAt < WindowStart);

        // 22:10–22:40 local: one is still out, the other stays home. 06:10 the next morning both are out: the window is over.
        var night = Enumerable.Range(0, 4).Select(i => WindowStart.AddMinutes(10 + i * 10)).ToArray();
        var morning = WindowStart.AddHours(8).AddMinutes(10);
        await SendAsync(Vendor, night.Select(t => ProbationService.Position(awaySerial, t, 500, 10))
            .Concat(night.Select(t => ProbationService.Position(homeSerial, t, 10, 10)))
            .Append(ProbationService.Position(awaySerial, morning, 800, 10)).Append(ProbationService.Position(homeSerial, morning, 800, 10)));

        var breach = Assert.Single(await UntilWindowEndAsync(away.Id));
        Assert.Equal(ViolationKinds.CurfewBreach, breach.Kind);
        Assert.Equal(WindowStart, breach.StartedAt); // away since before the window: the breach starts with the window
        Assert.Empty(await UntilWindowEndAsync(home.Id));
        var detected = Assert.Single(await DetectedUntilWindowEndAsync(away.Id));
        Assert.Equal("high", detected.GetProperty("severity").GetString());
        Assert.Equal(away.Reference, detected.GetProperty("personReference").GetString());
        Assert.False(detected.TryGetProperty("evidence", out _));
        Assert.False(detected.TryGetProperty("fullName", out _));
    }

    [Fact]
    public async Task AnExclusionZoneEntryIsNotInferredFromTheRingBoundaryButIsFromACertainFix()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        await officer.AddExclusionAsync(person.Id, inner: 100, outer: 300);
        var serial = await officer.AssignBraceletAsync(person.Id, Vendor);
        var t = Seconds(DateTimeOffset.UtcNow.AddMinutes(-30));

        // On the outer ring's boundary with 250 m accuracy, more than the 200 m ring: nothing is certain.
        await SendAsync(Vendor, Enumerable.Range(0, 4).Select(i => ProbationService.Position(serial, t.AddSeconds(i * 30), 300, 250)));
        Assert.Empty(await probation.ViolationsAsync(person.Id));

        // Then 20 m from the protected address with 10 m accuracy: certainly inside the inner ring.
        await SendAsync(Vendor, [ProbationService.Position(serial, t.AddSeconds(150), 20, 10)]);
        var entry = Assert.Single(await probation.ViolationsAsync(person.Id));
        Assert.Equal((ViolationKinds.ExclusionEntry, t.AddSeconds(150)), (entry.Kind, entry.StartedAt));
        var alerts = await officer.Http.GetFromJsonAsync<AlertDto[]>("/api/probation/alerts");
        var alert = Assert.Single(alerts!, a => a.PersonId == person.Id);
        Assert.Equal(("critical", "open"), (alert.Severity, alert.Status));
    }

    [Fact]
    public async Task APersonStandingStillNearABoundaryDoesNotMakeAlertsFlap()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        await officer.AddExclusionAsync(person.Id, inner: 100, outer: 300);
        var serial = await officer.AssignBraceletAsync(person.Id, Vendor);
        var random = new Random(11);
        var t = Seconds(DateTimeOffset.UtcNow.AddHours(-3));
        // Three hours at the outer boundary, jittering ±30 m (1.5 times the reported 20 m accuracy), in batches as a device would upload them.
        for (var batch = 0; batch < 6; batch++)
        {
            await SendAsync(Vendor, Enumerable.Range(0, 60).Select(i =>
                ProbationService.Position(serial, t.AddSeconds((batch * 60 + i) * 30), 300 + random.NextDouble() * 60 - 30, 20)));
        }

        var violations = await probation.ViolationsAsync(person.Id);
        Assert.True(violations.Count <= 1, string.Join(", ", violations));
        Assert.DoesNotContain(violations, v => v.Kind == ViolationKinds.ExclusionEntry);
    }

    [Fact]
    public async Task AnOutOfOrderBatchYieldsTheSameViolationsAsAnOrderedOne()
    {
        var officer = probation.NewOfficer();
        var ordered = await officer.CreatePersonAsync();
        var shuffled = await officer.CreatePersonAsync();
        var homeFar = new { kind = "inclusion", name = "Home", radiusMeters = 100, curfews = new[] { new { start = "22:00", end = "06:00" } } };
        foreach (var p in new[] { ordered, shuffled })
        {
            await officer.AddExclusionAsync(p.Id, inner: 100, outer: 300);
            var (lat, lon) = Geo.Offset(ProbationService.HomeLat, ProbationService.HomeLon, 2000, 0);
            await officer.AddZoneAsync(p.Id, new { homeFar.kind, homeFar.name, latitude = lat, longitude = lon, homeFar.radiusMeters, homeFar.curfews });
        }

        var orderedSerial = await officer.AssignBraceletAsync(ordered.Id, Vendor);
        var shuffledSerial = await officer.AssignBraceletAsync(shuffled.Id, Vendor);
        // During curfew, 2 km from home: far off, approaching the protected address, inside it, leaving.
        double[] distances = [600, 600, 600, 600, 600, 250, 250, 250, 250, 250, 40, 40, 40, 40, 40, 500, 500, 500, 500, 500];
        var times = distances.Select((_, i) => WindowStart.AddMinutes(10).AddSeconds(i * 30)).ToArray();
        object[] Batch(string serial, int from) => Enumerable.Range(from, 10).Select(i => ProbationService.Position(serial, times[i], distances[i], 20)).ToArray();

        await SendAsync(Vendor, Batch(orderedSerial, 0));
        await SendAsync(Vendor, Batch(orderedSerial, 10));
        await SendAsync(Vendor, Batch(shuffledSerial, 10));
        var late = await SendAsync(Vendor, Batch(shuffledSerial, 0));
        Assert.Equal(10, late.PositionsAccepted);

        var expected = await UntilWindowEndAsync(ordered.Id);
        Assert.Equal([ViolationKinds.CurfewBreach, ViolationKinds.ExclusionApproach, ViolationKinds.ExclusionEntry], expected.Select(v => v.Kind));
        Assert.Equal(expected, await UntilWindowEndAsync(shuffled.Id));
        Assert.Equal(3, (await DetectedUntilWindowEndAsync(ordered.Id)).Count);
        Assert.Equal(3, (await DetectedUntilWindowEndAsync(shuffled.Id)).Count);
    }

    [Fact]
    public async Task ADuplicateBatchYieldsNoViolationTwice()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        await officer.AddExclusionAsync(person.Id);
        var serial = await officer.AssignBraceletAsync(person.Id, Vendor);
        var t = Seconds(DateTimeOffset.UtcNow.AddMinutes(-10));
        object[] positions = [ProbationService.Position(serial, t, 1000, 10), ProbationService.Position(serial, t.AddSeconds(30), 10, 5)];
        object[] events = [new { device = serial, at = t.AddSeconds(40), kind = "strap_tamper", batteryPercent = 71 }];

        var first = await SendAsync(Vendor, positions, events);
        var second = await SendAsync(Vendor, positions, events);

        Assert.Equal((2, 0, 1), (first.PositionsAccepted, first.Duplicates, first.EventsAccepted));
        Assert.Equal((0, 2, 0, 0), (second.PositionsAccepted, second.Duplicates, second.EventsAccepted, second.Violations));
        Assert.Equal([ViolationKinds.ExclusionEntry, ViolationKinds.Tamper], (await probation.ViolationsAsync(person.Id)).Select(v => v.Kind));
        Assert.Equal(2, (await probation.OutboxAsync(person.Id, "ProbationViolationDetected")).Count);
    }

    [Fact]
    public async Task TheSameBatchArrivingConcurrentlyOnSeveralConnectionsIsAppliedOnce()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        await officer.AddExclusionAsync(person.Id);
        var serial = await officer.AssignBraceletAsync(person.Id, Vendor);
        var t = Seconds(DateTimeOffset.UtcNow.AddMinutes(-5));
        object[] positions = [.. Enumerable.Range(0, 20).Select(i => ProbationService.Position(serial, t.AddSeconds(i * 10), 600 - i * 30, 8))];

        // As if a vendor retried a slow request while the first was still running, against several replicas.
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SendAsync(Vendor, positions)));

        Assert.Equal(20, results.Sum(r => r.PositionsAccepted));
        Assert.Equal(60, results.Sum(r => r.Duplicates));
        Assert.Equal([ViolationKinds.ExclusionApproach, ViolationKinds.ExclusionEntry], (await probation.ViolationsAsync(person.Id)).Select(v => v.Kind));
        Assert.Equal(2, (await probation.OutboxAsync(person.Id, "ProbationViolationDetected")).Count);
    }

    [Fact]
    public async Task EachTamperEventIsAViolationThatSaysWhatHappened()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        var serial = await officer.AssignBraceletAsync(person.Id, Vendor);
        var t = Seconds(DateTimeOffset.UtcNow.AddMinutes(-10));
        string[] kinds = ["strap_tamper", "case_opened", "gps_jamming", "bracelet_gone", "battery_low"];

        await SendAsync(Vendor, [], kinds.Select((kind, i) => new { device = serial, at = t.AddSeconds(i), kind }));

        var violations = await officer.Http.GetFromJsonAsync<JsonElement[]>($"/api/probation/persons/{person.Id}/violations") ?? [];
        var seen = violations.OrderBy(v => v.GetProperty("startedAt").GetDateTimeOffset())
            .Select(v => (v.GetProperty("kind").GetString(), v.GetProperty("cause").GetString(), v.GetProperty("severity").GetString()));
        Assert.Equal([
            (ViolationKinds.Tamper, "strap_tamper", "critical"), (ViolationKinds.Tamper, "case_opened", "high"),
            (ViolationKinds.Tamper, "gps_jamming", "high"), (ViolationKinds.Tamper, "bracelet_gone", "critical"),
        ], seen);
        var alerts = (await officer.Http.GetFromJsonAsync<JsonElement[]>("/api/probation/alerts") ?? []).Where(a => a.GetProperty("personId").GetGuid() == person.Id);
        Assert.Equal(kinds[..4], alerts.Select(a => a.GetProperty("cause").GetString()).OrderBy(c => Array.IndexOf(kinds, c)));
        var events = await probation.OutboxAsync(person.Id, "ProbationViolationDetected");
        Assert.Equal(kinds[..4], events.Select(e => e.GetProperty("cause").GetString()).OrderBy(c => Array.IndexOf(kinds, c)));
    }

    [Fact]
    public async Task EndingCustodyEndsTheSuppressionOnceAndForAll()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        var serial = await officer.AssignBraceletAsync(person.Id, Vendor);
        var now = Seconds(DateTimeOffset.UtcNow);
        var custodyPath = $"/api/probation/persons/{person.Id}/custody";
        var recorded = await officer.Http.PostAsJsonAsync(custodyPath, new { startsAt = now.AddHours(-1), note = "administrative detention" });
        var custody = (await recorded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        object[] Tamper(DateTimeOffset at) => [new { device = serial, at, kind = "strap_tamper" }];

        await SendAsync(Vendor, [], Tamper(now.AddMinutes(-30)));
        var beforeItsStart = await officer.Http.PostAsJsonAsync($"{custodyPath}/{custody}/end", new { endsAt = now.AddHours(-2) });
        Assert.Equal(HttpStatusCode.BadRequest, beforeItsStart.StatusCode);
        var ended = await officer.Http.PostAsJsonAsync($"{custodyPath}/{custody}/end", new { endsAt = now.AddMinutes(-10) });
        await SendAsync(Vendor, [], Tamper(now.AddMinutes(-5)));

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var suppressed = await probation.QueryAsync("SELECT suppressed FROM violations WHERE person_id = @p ORDER BY started_at", r =>
        {
            var list = new List<bool>();
            while (r.Read()) list.Add(r.GetBoolean(0));
            return list;
        }, ("p", person.Id));
        Assert.Equal([true, false], suppressed);
        Assert.Single(await officer.Http.GetFromJsonAsync<AlertDto[]>("/api/probation/alerts") ?? [], a => a.PersonId == person.Id);
        var listed = Assert.Single(await officer.Http.GetFromJsonAsync<JsonElement[]>(custodyPath) ?? []);
        Assert.Equal((now.AddMinutes(-10), officer.Subject), (listed.GetProperty("endsAt").GetDateTimeOffset(), listed.GetProperty("endedBy").GetString()));

        var again = await officer.Http.PostAsJsonAsync($"{custodyPath}/{custody}/end", new { });
        var unknown = await officer.Http.PostAsJsonAsync($"{custodyPath}/{Guid.NewGuid()}/end", new { });
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.NotFound), (again.StatusCode, unknown.StatusCode));
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnOfficerRecordsACheckInAndFeedbackIsTold()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/probation/persons/{person.Id}/check-ins")
        {
            Content = JsonContent.Create(new { unit = "Служба пробации Алмалинского района", surveyConsent = true }),
        };
        request.Headers.Add("Idempotency-Key", "visit-1");
        var first = await officer.Http.SendAsync(request);
        using var retry = new HttpRequestMessage(HttpMethod.Post, request.RequestUri)
        {
            Content = JsonContent.Create(new { unit = "Служба пробации Алмалинского района", surveyConsent = true }),
        };
        retry.Headers.Add("Idempotency-Key", "visit-1");
        var second = await officer.Http.SendAsync(retry);

        Assert.Equal(System.Net.HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, second.StatusCode);
        var recorded = Assert.Single(await probation.OutboxAsync(person.Id, "ProbationCheckInRecorded"));
        Assert.Equal(person.Reference, recorded.GetProperty("personReference").GetString());
        Assert.True(recorded.GetProperty("surveyConsent").GetBoolean());
    }

    [Fact]
    public async Task ALateBatchFromTheDevicesPreviousWearerIsNotCreditedToTheNewOne()
    {
        var officer = probation.NewOfficer();
        var first = await officer.CreatePersonAsync();
        var second = await officer.CreatePersonAsync();
        // The second person must keep away from where the first one was: the late fixes would be an entry.
        await officer.AddExclusionAsync(second.Id);
        var device = await officer.AssignDeviceAsync(first.Id, Vendor, "bracelet");
        var worn = Seconds(DateTimeOffset.UtcNow.AddMinutes(-30));
        await SendAsync(Vendor, [ProbationService.Position(device.Serial, worn, 5000, 10)]);
        var released = await officer.Http.PostAsJsonAsync($"/api/probation/devices/{device.Id}/release", new { status = "returned" });
        Assert.True(released.IsSuccessStatusCode, await released.Content.ReadAsStringAsync());
        var reassigned = await officer.Http.PostAsJsonAsync($"/api/probation/devices/{device.Id}/assign", new { personId = second.Id });
        Assert.True(reassigned.IsSuccessStatusCode, await reassigned.Content.ReadAsStringAsync());
        var afterwards = Seconds(DateTimeOffset.UtcNow.AddSeconds(1));

        // The upload the device could not make while the first person wore it, with one fix of the second person's.
        var result = await SendAsync(Vendor,
            [ProbationService.Position(device.Serial, worn.AddMinutes(5), 20, 10), ProbationService.Position(device.Serial, worn.AddMinutes(6), 15, 10),
             ProbationService.Position(device.Serial, afterwards, 2000, 10)],
            [new { device = device.Serial, at = worn.AddMinutes(7), kind = "strap_tamper" }]);

        Assert.Equal((1, 0, 0, 2, 1), (result.PositionsAccepted, result.Violations, result.EventsAccepted, result.PositionsBeforeAssignment, result.EventsBeforeAssignment));
        Assert.Empty(await probation.ViolationsAsync(second.Id));
        Assert.Empty(await probation.ViolationsAsync(first.Id));
        Task<long> CountAsync(string table, string time, Guid person) => probation.QueryAsync(
            $"SELECT count(*) FROM {table} WHERE person_id = @p AND {time} < @t", r => { r.Read(); return r.GetInt64(0); }, ("p", person), ("t", afterwards));
        Assert.Equal((0L, 0L), (await CountAsync("positions", "fix_time", second.Id), await CountAsync("device_events", "at", second.Id)));
    }

    [Fact]
    public async Task ACheckInsIdempotencyKeyReusedForAnotherPersonIsAConflict()
    {
        var officer = probation.NewOfficer();
        var first = await officer.CreatePersonAsync();
        var second = await officer.CreatePersonAsync();
        async Task<HttpResponseMessage> CheckInAsync(Guid person)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/probation/persons/{person}/check-ins")
            {
                Content = JsonContent.Create(new { unit = "Probation office", surveyConsent = false }),
            };
            request.Headers.Add("Idempotency-Key", "visit-7");
            return await officer.Http.SendAsync(request);
        }

        var recorded = await CheckInAsync(first.Id);
        var reused = await CheckInAsync(second.Id);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Conflict), (recorded.StatusCode, reused.StatusCode));
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await probation.OutboxAsync(second.Id, "ProbationCheckInRecorded"));
        Assert.Single(await probation.OutboxAsync(first.Id, "ProbationCheckInRecorded"));
    }

    [Fact]
    public async Task AVendorReportsOnlyForItsOwnAssignedDevices()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        var serial = await officer.AssignBraceletAsync(person.Id, Vendor);

        var result = await SendAsync("vendor-gps-b", [ProbationService.Position(serial, DateTimeOffset.UtcNow.AddMinutes(-1), 10, 5)]);

        Assert.Equal([serial], result.UnknownDevices);
        Assert.Equal(0, result.PositionsAccepted);
        Assert.Equal(0L, await probation.QueryAsync("SELECT count(*) FROM positions WHERE person_id = @p", r => { r.Read(); return r.GetInt64(0); }, ("p", person.Id)));
    }
}
