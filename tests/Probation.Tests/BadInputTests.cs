using System.Net;
using System.Text;
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
        { "probation.officer", "GET", "/api/probation/persons?limit=0", "" },
        { "probation.officer", "GET", "/api/probation/persons?after=not-a-guid", "" },
        { "probation.officer", "GET", "/api/probation/devices?status=burnt", "" },
        { "probation.officer", "GET", "/api/probation/alerts?status=maybe", "" },
        { "probation.officer", "POST", "/api/probation/alerts/00000000-0000-0000-0000-000000000001/resolve", "{}" },
        { "probation.officer", "GET", "/api/probation/persons/not-a-guid", "" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task BadInputIsAProblemNeverA5xx(string role, string method, string path, string body)
    {
        using var client = probation.Client(role, "bad-input-officer");
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
