using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PublicSafety.Testing;

namespace PublicSafety.Probation.Tests;

/// <summary>Malformed, out-of-range and hostile input is a 4xx problem, never a 5xx.</summary>
public sealed class BadInputTests(ProbationService probation) : IClassFixture<ProbationService>
{
    public static TheoryData<string, string, string, string> Requests => new()
    {
        { "probation.ingest", "POST", "/api/probation/telemetry", "{}" },
        { "probation.ingest", "POST", "/api/probation/telemetry", "{\"positions\": [null]}" },
        { "probation.ingest", "POST", "/api/probation/telemetry", "{\"positions\": [{\"device\": \"x\"}]}" },
        { "probation.ingest", "POST", "/api/probation/telemetry", "{\"positions\": [{\"device\": \"x\", \"fixTime\": \"2026-11-22T00:00:00Z\", \"latitude\": 91, \"longitude\": 0, \"accuracy\": 5}]}" },
        { "probation.ingest", "POST", "/api/probation/telemetry", "{\"positions\": [{\"device\": \"x\", \"fixTime\": \"2999-01-01T00:00:00Z\", \"latitude\": 43, \"longitude\": 76, \"accuracy\": 5}]}" },
        { "probation.ingest", "POST", "/api/probation/telemetry", "{\"positions\": [{\"device\": \"x\", \"fixTime\": \"2000-01-01T00:00:00Z\", \"latitude\": 43, \"longitude\": 76, \"accuracy\": -1}]}" },
        { "probation.ingest", "POST", "/api/probation/telemetry", "{\"events\": [{\"device\": \"x\", \"at\": \"2026-11-22T00:00:00Z\", \"kind\": \"explode\"}]}" },
        { "probation.ingest", "POST", "/api/probation/telemetry", "{\"positions\": \"lots\"}" },
        { "probation.ingest", "POST", "/api/probation/telemetry", "not json" },
        { "probation.ingest", "POST", "/api/probation/telemetry", "{\"positions\": [{\"device\": \"x\", \"fixTime\": \"yesterday\"}]}" },
        { "probation.officer", "POST", "/api/probation/persons", "{}" },
        { "probation.officer", "POST", "/api/probation/persons", "{\"category\": \"parolee\", \"region\": \"KZ-99\", \"courtOrder\": \"x\", \"fullName\": \"y\", \"supervisionStart\": \"2026-01-01T00:00:00Z\", \"supervisionEnd\": \"2025-01-01T00:00:00Z\"}" },
        { "probation.officer", "POST", "/api/probation/persons", "{\"category\": \"parolee\", \"region\": \"KZ-75\", \"courtOrder\": \"x\", \"fullName\": \"y\", \"nationalId\": \"12ab\", \"supervisionStart\": \"2026-01-01T00:00:00Z\", \"supervisionEnd\": \"2027-01-01T00:00:00Z\"}" },
        { "probation.officer", "POST", "/api/probation/devices", "{\"vendor\": \"v\", \"serial\": \"\", \"kind\": \"phone\", \"region\": \"KZ-75\"}" },
        { "probation.officer", "POST", "/api/probation/devices/00000000-0000-0000-0000-000000000001/assign", "{}" },
        { "probation.officer", "POST", "/api/probation/devices/00000000-0000-0000-0000-000000000001/release", "{\"status\": \"stolen\"}" },
        { "probation.officer", "POST", "/api/probation/devices/00000000-0000-0000-0000-000000000001/status", "{}" },
        { "probation.officer", "POST", "/api/probation/devices/00000000-0000-0000-0000-000000000001/status", "{\"status\": \"assigned\"}" },
        { "probation.officer", "GET", "/api/probation/persons?limit=0", "" },
        { "probation.officer", "GET", "/api/probation/persons?after=not-a-guid", "" },
        { "probation.officer", "GET", "/api/probation/devices?status=burnt", "" },
        { "probation.officer", "GET", "/api/probation/alerts?status=maybe", "" },
        { "probation.officer", "POST", "/api/probation/alerts/00000000-0000-0000-0000-000000000001/resolve", "{}" },
        { "probation.officer", "GET", "/api/probation/persons/not-a-guid", "" },
        // {person}: a person of the calling officer, so that the request gets past the 404 to its validation.
        { "probation.officer", "PATCH", "/api/probation/persons/{person}/supervision", "{}" },
        { "probation.officer", "PATCH", "/api/probation/persons/{person}/supervision", "{\"officerSubject\": \"   \"}" },
        { "probation.officer", "PATCH", "/api/probation/persons/{person}/supervision", "{\"officerSubject\": \"\\t\\n\"}" },
        { "probation.officer", "PATCH", "/api/probation/persons/{person}/supervision", "{\"officerSubject\": \"user-\\u0007x\"}" },
        { "probation.officer", "PATCH", "/api/probation/persons/{person}/supervision", "{\"supervisionEnd\": \"2000-01-01T00:00:00Z\"}" },
        { "probation.officer", "PATCH", "/api/probation/persons/{person}/supervision", "{\"supervisionEnd\": \"soon\"}" },
        { "probation.officer", "POST", "/api/probation/persons/{person}/exceptions", "{}" },
        { "probation.officer", "POST", "/api/probation/persons/{person}/exceptions", "{\"reason\": \"holiday\", \"startsAt\": \"2026-01-01T00:00:00Z\", \"endsAt\": \"2026-01-02T00:00:00Z\"}" },
        { "probation.officer", "POST", "/api/probation/persons/{person}/exceptions", "{\"reason\": \"work\", \"startsAt\": \"2026-01-01T00:00:00Z\", \"endsAt\": \"2026-03-01T00:00:00Z\"}" },
        { "probation.officer", "POST", "/api/probation/persons/{person}/custody", "{\"note\": \"no start\"}" },
        { "probation.officer", "POST", "/api/probation/persons/{person}/custody", "{\"startsAt\": \"2026-02-01T00:00:00+05:00\", \"endsAt\": \"2026-01-01T00:00:00+05:00\"}" },
        { "probation.officer", "POST", "/api/probation/persons/{person}/custody/00000000-0000-0000-0000-000000000001/end", "{}" },
        { "probation.officer", "POST", "/api/probation/persons/{person}/custody/00000000-0000-0000-0000-000000000001/end", "{\"endsAt\": \"yesterday\"}" },
        { "probation.officer", "POST", "/api/probation/persons/{person}/check-ins", "{}" },
        { "probation.officer", "POST", "/api/probation/persons/{person}/check-ins", "{\"unit\": \"Office\", \"surveyConsent\": true, \"checkedInAt\": \"2999-01-01T00:00:00Z\"}" },
        { "probation.officer", "POST", "/api/probation/persons/{person}/check-ins", "{\"unit\": \"Office\", \"surveyConsent\": \"yes\"}" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task BadInputIsAProblemNeverA5xx(string role, string method, string path, string body)
    {
        var client = probation.Client(role, "bad-input-officer");
        if (path.Contains("{person}", StringComparison.Ordinal))
        {
            var officer = probation.NewOfficer();
            (path, client) = (path.Replace("{person}", (await officer.CreatePersonAsync()).Id.ToString()), officer.Http);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        // An id that is not a GUID matches no route at all: a bare 404 from routing, like any unknown path.
        if (!path.EndsWith("not-a-guid", StringComparison.Ordinal))
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>Kazakhstan's offset is what local clients send: any offset is the instant it names, stored and returned in UTC.</summary>
    [Fact]
    public async Task TimesWithKazakhstansOffsetAreAcceptedAsTheirInstants()
    {
        var officer = probation.NewOfficer();
        var local = TimeSpan.FromHours(5);
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()); // whole seconds: PostgreSQL keeps microseconds
        var start = new DateTimeOffset(now.Date.AddDays(-10).AddHours(9), local);
        var end = start.AddDays(200);
        var created = await officer.Http.PostAsJsonAsync("/api/probation/persons", new
        {
            category = "parolee", region = ProbationService.Region, courtOrder = "2-99/2026", fullName = "Synthetic Person",
            supervisionStart = start, supervisionEnd = end,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var persons = $"/api/probation/persons/{id}";

        var later = end.AddDays(30);
        Assert.Equal(HttpStatusCode.OK, (await officer.Http.PatchAsJsonAsync($"{persons}/supervision", new { supervisionEnd = later })).StatusCode);
        var exception = new { reason = "work", startsAt = now.ToOffset(local).AddHours(1), endsAt = now.ToOffset(local).AddHours(9) };
        Assert.Equal(HttpStatusCode.Created, (await officer.Http.PostAsJsonAsync($"{persons}/exceptions", exception)).StatusCode);
        var custody = new { startsAt = now.ToOffset(local).AddDays(-2), endsAt = now.ToOffset(local).AddDays(-1) };
        Assert.Equal(HttpStatusCode.Created, (await officer.Http.PostAsJsonAsync($"{persons}/custody", custody)).StatusCode);
        var checkIn = new { unit = "Probation office", checkedInAt = now.ToOffset(local).AddHours(-1), surveyConsent = false };
        Assert.Equal(HttpStatusCode.Created, (await officer.Http.PostAsJsonAsync($"{persons}/check-ins", checkIn)).StatusCode);
        var from = Uri.EscapeDataString(now.ToOffset(local).AddDays(-1).ToString("O"));
        var to = Uri.EscapeDataString(now.ToOffset(local).ToString("O"));
        Assert.Equal(HttpStatusCode.OK, (await officer.Http.GetAsync($"{persons}/positions?from={from}&to={to}&reason=checking+the+offset+handling")).StatusCode);

        var person = await officer.Http.GetFromJsonAsync<JsonElement>(persons);
        Assert.Equal((start.UtcDateTime, later.UtcDateTime), (Utc(person.GetProperty("supervisionStart")), Utc(person.GetProperty("supervisionEnd"))));
        var approved = Assert.Single(await officer.Http.GetFromJsonAsync<JsonElement[]>($"{persons}/exceptions") ?? []);
        Assert.Equal((exception.startsAt.UtcDateTime, exception.endsAt.UtcDateTime), (Utc(approved.GetProperty("startsAt")), Utc(approved.GetProperty("endsAt"))));
    }

    /// <summary>The instant of a returned time, checking that it is written in UTC.</summary>
    private static DateTime Utc(JsonElement time)
    {
        var at = time.GetDateTimeOffset();
        Assert.Equal(TimeSpan.Zero, at.Offset);
        return at.UtcDateTime;
    }

    [Fact]
    public async Task ZonesBeyondTheLimitAreAConflictEvenWhenAddedAllAtOnce()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        var zone = new { kind = "exclusion", name = "School", latitude = 43.2, longitude = 76.9, radiusMeters = 100, outerRadiusMeters = 300 };

        var responses = await Task.WhenAll(Enumerable.Range(0, 110).Select(_ => officer.Http.PostAsJsonAsync($"/api/probation/persons/{person.Id}/zones", zone)));

        Assert.Equal(100, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToArray();
        Assert.Equal(10, refused.Count(r => r.StatusCode == HttpStatusCode.Conflict && r.Content.Headers.ContentType?.MediaType == "application/problem+json"));
        Assert.Equal(100, (await officer.Http.GetFromJsonAsync<JsonElement[]>($"/api/probation/persons/{person.Id}/zones"))!.Length);
    }

    [Fact]
    public async Task BadZonesAreRejectedFieldByField()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        object[] zones =
        [
            new { kind = "exclusion", name = "School", latitude = 43.2, longitude = 76.9, radiusMeters = 300, outerRadiusMeters = 100 },
            new { kind = "inclusion", name = "Home", latitude = 43.2, longitude = 76.9, radiusMeters = 50, curfews = new[] { new { start = "25:00", end = "06:00" } } },
            new { kind = "inclusion", name = "Home", latitude = 43.2, longitude = 76.9, radiusMeters = 50, curfews = new[] { new { days = new[] { 0, 8 }, start = "22:00", end = "06:00" } } },
            new { kind = "inclusion", name = "Home", latitude = double.MaxValue, longitude = 76.9, radiusMeters = 5 },
        ];
        foreach (var zone in zones)
        {
            var response = await officer.Http.PostAsync($"/api/probation/persons/{person.Id}/zones",
                new StringContent(System.Text.Json.JsonSerializer.Serialize(zone), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
