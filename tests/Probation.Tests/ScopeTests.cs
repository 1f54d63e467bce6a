using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace PublicSafety.Probation.Tests;

/// <summary>
/// Region scope on every operation. The same officer (same token subject) and the same vendor client, with a token for
/// another region, get nothing of the first region: not by id, not in a list, not by repeating an Idempotency-Key, not by
/// sending telemetry.
/// </summary>
public sealed class ScopeTests(ProbationService probation) : IClassFixture<ProbationService>
{
    private const string OtherRegion = "KZ-71";
    private const string Vendor = "vendor-gps-scope";

    private static async Task<HttpResponseMessage> PlaceAsync(HttpClient officer, string region, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/probation/persons")
        {
            Content = JsonContent.Create(new
            {
                category = "parolee", region, courtOrder = "2-1234/2026", fullName = "Synthetic Person", nationalId = "900101300123",
                supervisionStart = DateTimeOffset.UtcNow.AddDays(-1), supervisionEnd = DateTimeOffset.UtcNow.AddDays(100),
            }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return await officer.SendAsync(request);
    }

    [Fact]
    public async Task RepeatingAPlacementsKeyWithATokenForAnotherRegionNeverReturnsThePerson()
    {
        var officer = probation.NewOfficer();
        using var elsewhere = probation.Client("probation.officer", officer.Name, OtherRegion);
        var key = "placement-" + Guid.NewGuid().ToString("N");
        using var first = await PlaceAsync(officer.Http, ProbationService.Region, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var person = (await first.Content.ReadFromJsonAsync<PersonDto>())!;

        using var repeat = await PlaceAsync(elsewhere, OtherRegion, key);

        Assert.Equal(HttpStatusCode.Conflict, repeat.StatusCode);
        Assert.Equal("application/problem+json", repeat.Content.Headers.ContentType?.MediaType);
        var body = await repeat.Content.ReadAsStringAsync();
        foreach (var secret in new[] { person.Id.ToString(), person.Reference, "Synthetic Person", "900101300123", "2-1234/2026" })
        {
            Assert.DoesNotContain(secret, body);
        }

        Assert.Empty(await elsewhere.GetFromJsonAsync<PersonDto[]>("/api/probation/persons") ?? []);
        using var again = await PlaceAsync(officer.Http, ProbationService.Region, key);
        Assert.Equal((HttpStatusCode.OK, person.Id), (again.StatusCode, (await again.Content.ReadFromJsonAsync<PersonDto>())!.Id));
    }

    [Fact]
    public async Task AnOfficersTokenForAnotherRegionListsNoneOfTheirPersonsOrAlertsAndCantActOnThem()
    {
        var officer = probation.NewOfficer();
        var person = await AlertTests.ViolateAsync(probation, officer);
        var alert = Assert.Single(await officer.Http.GetFromJsonAsync<AlertDto[]>("/api/probation/alerts") ?? [], a => a.PersonId == person);
        using var elsewhere = probation.Client("probation.officer,probation.read", officer.Name, OtherRegion);

        foreach (var path in new[] { "/api/probation/persons", "/api/probation/persons?scope=own", "/api/probation/persons?scope=region" })
        {
            Assert.DoesNotContain(await elsewhere.GetFromJsonAsync<PersonDto[]>(path) ?? [], p => p.Id == person);
        }

        foreach (var path in new[] { "/api/probation/alerts", "/api/probation/alerts?scope=own&status=open", "/api/probation/alerts?scope=region" })
        {
            Assert.DoesNotContain(await elsewhere.GetFromJsonAsync<AlertDto[]>(path) ?? [], a => a.Id == alert.Id);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.PostAsync($"/api/probation/alerts/{alert.Id}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await elsewhere.PostAsJsonAsync($"/api/probation/alerts/{alert.Id}/resolve", new { note = "Closing it from the other region." })).StatusCode);
        Assert.Equal("open", (await officer.Http.GetFromJsonAsync<AlertDto>($"/api/probation/alerts/{alert.Id}"))!.Status);
        Assert.Contains(await officer.Http.GetFromJsonAsync<PersonDto[]>("/api/probation/persons?scope=own") ?? [], p => p.Id == person);
    }

    [Fact]
    public async Task TelemetryWithAVendorTokenForAnotherRegionTreatsItsDevicesAsUnknownAndChangesNothing()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        await officer.AddExclusionAsync(person.Id);
        var device = await officer.AssignDeviceAsync(person.Id, Vendor, "bracelet");
        var at = DateTimeOffset.UtcNow.AddMinutes(-2);
        var batch = new
        {
            positions = new[] { ProbationService.Position(device.Serial, at, 10, 5) },
            events = new[] { new { device = device.Serial, at, kind = "strap_tamper", batteryPercent = 40, firmware = "9.9.9" } },
        };
        using var elsewhere = probation.Client("probation.ingest", region: OtherRegion, client: Vendor);

        using var response = await elsewhere.PostAsJsonAsync("/api/probation/telemetry", batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<TelemetryResult>())!;
        Assert.Equal((0, 0, 0), (result.PositionsAccepted, result.EventsAccepted, result.Violations));
        Assert.Equal([device.Serial], result.UnknownDevices);
        var seen = await officer.Http.GetFromJsonAsync<JsonElement>($"/api/probation/devices/{device.Id}");
        foreach (var field in new[] { "lastContactAt", "lastFixAt", "batteryPercent" })
        {
            Assert.Equal(JsonValueKind.Null, seen.GetProperty(field).ValueKind);
        }

        Assert.Equal("4.2.1", seen.GetProperty("firmware").GetString());
        Assert.Empty(await probation.ViolationsAsync(person.Id));
        Assert.Equal(0L, await probation.QueryAsync(
            "SELECT (SELECT count(*) FROM positions WHERE person_id = @p) + (SELECT count(*) FROM device_events WHERE device_id = @d)",
            r => { r.Read(); return r.GetInt64(0); }, ("p", person.Id), ("d", device.Id)));

        // The same batch with a token for the device's region is the vendor's own report.
        using var home = probation.Client("probation.ingest", region: ProbationService.Region, client: Vendor);
        var applied = (await (await home.PostAsJsonAsync("/api/probation/telemetry", batch)).Content.ReadFromJsonAsync<TelemetryResult>())!;
        Assert.Equal((1, 1, 0), (applied.PositionsAccepted, applied.EventsAccepted, applied.UnknownDevices.Length));
    }

    [Fact]
    public async Task EveryPersonAlertAndDeviceOperationIsNotFoundWithTheSameOfficersTokenForAnotherRegion()
    {
        var officer = probation.NewOfficer();
        var person = await AlertTests.ViolateAsync(probation, officer);
        var alert = Assert.Single(await officer.Http.GetFromJsonAsync<AlertDto[]>("/api/probation/alerts") ?? [], a => a.PersonId == person);
        var zone = await officer.AddHomeAsync(person);
        var custody = await officer.Http.PostAsJsonAsync($"/api/probation/persons/{person}/custody", new { startsAt = DateTimeOffset.UtcNow.AddHours(-3) });
        var custodyId = (await custody.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var device = (await officer.Http.GetFromJsonAsync<DeviceDto[]>("/api/probation/devices?status=assigned") ?? []).Single(d => d.PersonId == person);
        var spare = await officer.RegisterDeviceAsync(Vendor);
        var reason = "reason=checking+from+the+other+region";
        var range = $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}";
        var p = $"/api/probation/persons/{person}";
        (HttpMethod Method, string Path, object? Body)[] operations =
        [
            (HttpMethod.Get, p, null),
            (HttpMethod.Patch, $"{p}/supervision", new { supervisionEnd = DateTimeOffset.UtcNow.AddDays(30) }),
            (HttpMethod.Get, $"{p}/zones", null),
            (HttpMethod.Post, $"{p}/zones", new { kind = "exclusion", name = "School", latitude = 43.2, longitude = 76.9, radiusMeters = 100, outerRadiusMeters = 300 }),
            (HttpMethod.Delete, $"{p}/zones/{zone.Id}", null),
            (HttpMethod.Get, $"{p}/exceptions", null),
            (HttpMethod.Post, $"{p}/exceptions", new { reason = "work", startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow.AddHours(8) }),
            (HttpMethod.Get, $"{p}/custody", null),
            (HttpMethod.Post, $"{p}/custody", new { startsAt = DateTimeOffset.UtcNow }),
            (HttpMethod.Post, $"{p}/custody/{custodyId}/end", new { }),
            (HttpMethod.Post, $"{p}/check-ins", new { unit = "District office", surveyConsent = true }),
            (HttpMethod.Get, $"{p}/positions?{range}&{reason}", null),
            (HttpMethod.Get, $"{p}/location-reads", null),
            (HttpMethod.Get, $"{p}/violations", null),
            (HttpMethod.Get, $"{p}/violations/{alert.ViolationId}/evidence?{reason}", null),
            (HttpMethod.Get, $"/api/probation/alerts/{alert.Id}", null),
            (HttpMethod.Get, $"/api/probation/alerts/{alert.Id}/location?{reason}", null),
            (HttpMethod.Post, $"/api/probation/alerts/{alert.Id}/acknowledge", null),
            (HttpMethod.Post, $"/api/probation/alerts/{alert.Id}/resolve", new { note = "Closing it from the other region." }),
            (HttpMethod.Get, $"/api/probation/devices/{device.Id}", null),
            (HttpMethod.Get, $"/api/probation/devices/{device.Id}/assignments", null),
            (HttpMethod.Post, $"/api/probation/devices/{device.Id}/release", new { status = "returned" }),
            (HttpMethod.Post, $"/api/probation/devices/{spare.Id}/status", new { status = "faulty" }),
            (HttpMethod.Post, $"/api/probation/devices/{spare.Id}/assign", new { personId = person }),
        ];
        using var elsewhere = probation.Client("probation.officer,probation.read", officer.Name, OtherRegion);

        foreach (var (method, path, body) in operations)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await elsewhere.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // Writes naming the other region are refused, lists leave it out, and nothing above changed anything.
        Assert.Equal(HttpStatusCode.Forbidden, (await PlaceAsync(elsewhere, ProbationService.Region, Guid.NewGuid().ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await elsewhere.PostAsJsonAsync("/api/probation/devices",
            new { vendor = Vendor, serial = "SN-" + Guid.NewGuid().ToString("N")[..12], kind = "bracelet", region = ProbationService.Region })).StatusCode);
        Assert.DoesNotContain(await elsewhere.GetFromJsonAsync<DeviceDto[]>("/api/probation/devices") ?? [], d => d.Id == device.Id || d.Id == spare.Id);
        Assert.Single(await officer.Http.GetFromJsonAsync<JsonElement[]>($"{p}/zones") ?? [], z => z.GetProperty("id").GetGuid() == zone.Id);
        Assert.Empty(await officer.Http.GetFromJsonAsync<JsonElement[]>($"{p}/location-reads") ?? []);
        Assert.Equal("open", (await officer.Http.GetFromJsonAsync<AlertDto>($"/api/probation/alerts/{alert.Id}"))!.Status);
        Assert.Equal(("assigned", "in_stock"), ((await officer.Http.GetFromJsonAsync<DeviceDto>($"/api/probation/devices/{device.Id}"))!.Status,
            (await officer.Http.GetFromJsonAsync<DeviceDto>($"/api/probation/devices/{spare.Id}"))!.Status));
    }
}
