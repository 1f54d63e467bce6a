using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PublicSafety.Testing;

namespace PublicSafety.Probation.Tests;

/// <summary>Who sees what: supervising officer, other officers, regional readers, other regions; the location-read audit.</summary>
public sealed class AccessTests(ProbationService probation) : IClassFixture<ProbationService>
{
    [Fact]
    public async Task AnOfficerOfOneRegionCantReadAnotherRegionsPersonsOrLocations()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        var positions = $"/api/probation/persons/{person.Id}/positions?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"))}" +
                        $"&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}&reason=checking+last+night%27s+curfew";

        using var astanaOfficer = probation.Client("probation.officer,probation.read", "astana-officer", "KZ-71");
        using var astanaReader = probation.Client("probation.read", "astana-reader", "KZ-71");
        using var colleague = probation.Client("probation.officer", "colleague", ProbationService.Region);
        foreach (var client in new[] { astanaOfficer, astanaReader, colleague })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/probation/persons/{person.Id}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/probation/persons/{person.Id}/violations")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await astanaOfficer.GetAsync(positions)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync(positions)).StatusCode);
        Assert.DoesNotContain(await astanaOfficer.GetFromJsonAsync<PersonDto[]>("/api/probation/persons?scope=region") ?? [], p => p.Id == person.Id);

        // A reader of the person's region sees the person, without identity, and not the locations.
        using var almatyReader = probation.Client("probation.read", "almaty-reader", ProbationService.Region);
        var seen = await almatyReader.GetFromJsonAsync<PersonDto>($"/api/probation/persons/{person.Id}");
        Assert.Null(seen!.Identity is { ValueKind: JsonValueKind.Object } ? seen.Identity : null);
        Assert.Contains(await almatyReader.GetFromJsonAsync<PersonDto[]>("/api/probation/persons") ?? [], p => p.Id == person.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await almatyReader.GetAsync(positions)).StatusCode);

        // The supervising officer reads them, and the read is recorded with the reason.
        var own = await officer.Http.GetFromJsonAsync<PersonDto>($"/api/probation/persons/{person.Id}");
        Assert.Equal(JsonValueKind.Object, own!.Identity!.Value.ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await officer.Http.GetAsync(positions)).StatusCode);
        var reads = await almatyReader.GetFromJsonAsync<JsonElement[]>($"/api/probation/persons/{person.Id}/location-reads");
        var read = Assert.Single(reads!);
        Assert.Equal(officer.Subject, read.GetProperty("reader").GetString());
        Assert.Equal("checking last night's curfew", read.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task AViolationsEvidenceIsReadBySupervisingOfficerWithAReasonAndAudited()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        await officer.AddExclusionAsync(person.Id);
        var serial = await officer.AssignBraceletAsync(person.Id, "vendor-gps-a");
        using (var vendor = probation.Vendor("vendor-gps-a"))
        {
            var at = DateTimeOffset.UtcNow.AddMinutes(-5);
            var sent = await vendor.PostAsJsonAsync("/api/probation/telemetry", new { positions = new[] { ProbationService.Position(serial, at, 10, 10) } });
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        }

        // The list carries no positions, for the supervising officer either: only how many the evidence holds.
        var violation = Assert.Single(await officer.Http.GetFromJsonAsync<JsonElement[]>($"/api/probation/persons/{person.Id}/violations") ?? []);
        Assert.False(violation.TryGetProperty("evidence", out _));
        Assert.Equal(1, violation.GetProperty("evidencePositions").GetInt32());
        var evidence = $"/api/probation/persons/{person.Id}/violations/{violation.GetProperty("id").GetGuid()}/evidence";
        var withReason = evidence + "?reason=checking+the+entry+before+calling";

        using var reader = probation.Client("probation.read", "almaty-reader", ProbationService.Region);
        using var colleague = probation.Client("probation.officer", "colleague", ProbationService.Region);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync(withReason)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync(withReason)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.Http.GetAsync(evidence)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.Http.GetAsync(evidence + "?reason=why")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.Http.GetAsync($"/api/probation/persons/{person.Id}/violations/{Guid.NewGuid()}/evidence?reason=checking+the+entry")).StatusCode);
        Assert.Empty(await officer.Http.GetFromJsonAsync<JsonElement[]>($"/api/probation/persons/{person.Id}/location-reads") ?? []);

        var read = await officer.Http.GetFromJsonAsync<JsonElement>(withReason);
        Assert.Equal(1, read.GetProperty("evidence").GetArrayLength());
        var audit = Assert.Single(await reader.GetFromJsonAsync<JsonElement[]>($"/api/probation/persons/{person.Id}/location-reads") ?? []);
        Assert.Equal((officer.Subject, "checking the entry before calling", 1), (audit.GetProperty("reader").GetString(), audit.GetProperty("reason").GetString(),
            audit.GetProperty("positions").GetInt32()));
        Assert.Equal(violation.GetProperty("id").GetGuid(), audit.GetProperty("violationId").GetGuid());
    }

    [Fact]
    public async Task NoPositionLeavesWithoutAnAuditRecordNotInEventsNorInAlerts()
    {
        var officer = probation.NewOfficer();
        var person = await AlertTests.ViolateAsync(probation, officer);

        // The event (in the outbox, then the broker) says what happened, not where: schema version 2 has no evidence.
        var detected = Assert.Single(await probation.OutboxAsync(person, "ProbationViolationDetected"));
        Assert.Equal(2, detected.GetProperty("schemaVersion").GetInt32());
        Assert.False(detected.TryGetProperty("evidence", out _));

        // Nor does the alert, listed or alone: its point and cameras (their distances place it too) are a location read.
        var listed = (await officer.Http.GetFromJsonAsync<JsonElement[]>("/api/probation/alerts") ?? []).Single(a => a.GetProperty("personId").GetGuid() == person);
        var id = listed.GetProperty("id").GetGuid();
        foreach (var alert in new[] { listed, await officer.Http.GetFromJsonAsync<JsonElement>($"/api/probation/alerts/{id}") })
        {
            Assert.True(alert.GetProperty("hasLocation").GetBoolean());
            Assert.False(alert.TryGetProperty("latitude", out _) || alert.TryGetProperty("longitude", out _) || alert.TryGetProperty("cameras", out _));
        }

        // Acknowledged, it is not escalated: until then the region's readers may not read its point, nor may anyone without a reason.
        Assert.Equal(HttpStatusCode.OK, (await officer.Http.PostAsync($"/api/probation/alerts/{id}/acknowledge", null)).StatusCode);
        var location = $"/api/probation/alerts/{id}/location";
        using var reader = probation.Client("probation.read", "almaty-reader-3", ProbationService.Region);
        using var elsewhere = probation.Client("probation.officer,probation.read", officer.Name, "KZ-71");
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.Http.GetAsync(location)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.Http.GetAsync(location + "?reason=why")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync(location + "?reason=responding+to+the+alert")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await elsewhere.GetAsync(location + "?reason=responding+to+the+alert")).StatusCode);
        Assert.Empty(await reader.GetFromJsonAsync<JsonElement[]>($"/api/probation/persons/{person}/location-reads") ?? []);

        var read = await AlertTests.LocationAsync(officer.Http, id);
        Assert.Equal((person, listed.GetProperty("violationId").GetGuid()), (read.PersonId, read.ViolationId));
        Assert.NotNull(read.Latitude);
        var audit = Assert.Single(await reader.GetFromJsonAsync<JsonElement[]>($"/api/probation/persons/{person}/location-reads") ?? []);
        Assert.Equal((officer.Subject, "responding to the alert", 1, id, read.ViolationId),
            (audit.GetProperty("reader").GetString(), audit.GetProperty("reason").GetString(), audit.GetProperty("positions").GetInt32(),
             audit.GetProperty("alertId").GetGuid(), audit.GetProperty("violationId").GetGuid()));
    }

    [Fact]
    public async Task RetryingAPlacementWithTheSameIdempotencyKeyReturnsTheFirstPerson()
    {
        var officer = probation.NewOfficer();
        var body = new
        {
            category = "house_arrest", region = ProbationService.Region, courtOrder = "2-555/2026", fullName = "Synthetic Person",
            supervisionStart = DateTimeOffset.UtcNow, supervisionEnd = DateTimeOffset.UtcNow.AddDays(60),
        };
        async Task<HttpResponseMessage> PostAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/probation/persons") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", "placement-42");
            return await officer.Http.SendAsync(request);
        }

        var first = await PostAsync();
        var second = await PostAsync();

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal((await first.Content.ReadFromJsonAsync<PersonDto>())!.Id, (await second.Content.ReadFromJsonAsync<PersonDto>())!.Id);
        Assert.Single(await officer.Http.GetFromJsonAsync<PersonDto[]>("/api/probation/persons") ?? []);
    }

    [Fact]
    public async Task EachRoleDoesOnlyItsOwnJob()
    {
        using var vendor = probation.Vendor("vendor-gps-a");
        using var officer = probation.Client("probation.officer", "role-officer");
        using var anonymous = probation.Service.CreateClient();
        var telemetry = new { positions = new[] { new { device = "SN-1", fixTime = DateTimeOffset.UtcNow, latitude = 43.2, longitude = 76.9, accuracy = 5 } } };

        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync("/api/probation/persons")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync("/api/probation/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await officer.PostAsJsonAsync("/api/probation/telemetry", telemetry)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/probation/telemetry", telemetry)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await vendor.PostAsJsonAsync("/api/probation/telemetry", telemetry)).StatusCode);
    }

    [Fact]
    public async Task ALocationReadWithoutAReasonIsRefusedAndNotRecorded()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));

        var response = await officer.Http.GetAsync($"/api/probation/persons/{person.Id}/positions?from={from}&to={to}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("reason", await response.Content.ReadAsStringAsync());
        Assert.Empty(await officer.Http.GetFromJsonAsync<JsonElement[]>($"/api/probation/persons/{person.Id}/location-reads") ?? []);
    }

    [Fact]
    public async Task OnlyTheSupervisingOfficerManagesRulesAndAlertsOfTheirPersons()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        using var colleague = probation.Client("probation.officer,probation.read", "colleague-2", ProbationService.Region);

        var zone = await colleague.PostAsJsonAsync($"/api/probation/persons/{person.Id}/zones",
            new { kind = "exclusion", name = "School", latitude = 43.2, longitude = 76.9, radiusMeters = 100, outerRadiusMeters = 300 });
        Assert.Equal(HttpStatusCode.Forbidden, zone.StatusCode);

        // A real alert of the officer's: to a colleague of the region and to an officer of another region it is exactly
        // what an alert that does not exist is, and it stays untouched.
        var alerted = await AlertTests.ViolateAsync(probation, officer);
        var alert = Assert.Single(await officer.Http.GetFromJsonAsync<AlertDto[]>("/api/probation/alerts") ?? [], a => a.PersonId == alerted);
        using var astanaOfficer = probation.Client("probation.officer", "astana-officer-2", "KZ-71");
        async Task LikeAMissingAlertAsync(Func<Guid, Task<HttpResponseMessage>> send)
        {
            var real = await send(alert.Id);
            Assert.Equal(HttpStatusCode.NotFound, real.StatusCode);
            Assert.Equal(await ProblemAsync(await send(Guid.NewGuid())), await ProblemAsync(real));
        }

        foreach (var other in new[] { colleague, astanaOfficer })
        {
            await LikeAMissingAlertAsync(id => other.PostAsync($"/api/probation/alerts/{id}/acknowledge", null));
            await LikeAMissingAlertAsync(id => other.PostAsJsonAsync($"/api/probation/alerts/{id}/resolve", new { note = "Not mine to resolve." }));
        }

        await LikeAMissingAlertAsync(id => astanaOfficer.GetAsync($"/api/probation/alerts/{id}"));
        Assert.Equal("open", (await officer.Http.GetFromJsonAsync<AlertDto>($"/api/probation/alerts/{alert.Id}"))!.Status);

        // Handing the person over moves supervision: the new officer sees identity, the old one no longer does.
        var handed = await officer.Http.PatchAsJsonAsync($"/api/probation/persons/{person.Id}/supervision", new { officerSubject = "user-colleague-2" });
        Assert.Equal(HttpStatusCode.OK, handed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.Http.GetAsync($"/api/probation/persons/{person.Id}")).StatusCode);
        var now = await colleague.GetFromJsonAsync<PersonDto>($"/api/probation/persons/{person.Id}");
        Assert.True(now!.SupervisedByCaller);
    }

    /// <summary>What a caller learns from a problem response (its trace id aside).</summary>
    private static async Task<(HttpStatusCode, string?, string?, string?)> ProblemAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, problem.GetProperty("title").GetString(), problem.GetProperty("detail").GetString());
    }
}
