using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace PublicSafety.RoadSafety.Tests;

/// <summary>Bad input is answered with a 4xx problem, never a 5xx.</summary>
[Collection(RoadSafetyCollection.Name)]
public sealed class BadInputTests(RoadSafetyService service)
{
    public static TheoryData<string, string, string?> Requests => new()
    {
        { "POST", "/api/roadsafety/devices", "{" },
        { "POST", "/api/roadsafety/devices", "[]" },
        { "POST", "/api/roadsafety/devices", "{}" },
        { "POST", "/api/roadsafety/devices", """{"kind":"instant_speed","latitude":"north","longitude":1e400}""" },
        { "POST", "/api/roadsafety/devices", """{"kind":"mobile","vendorClientId":"v","vendor":"v","model":"m","serialNumber":"s","approvalNumber":"a","approvalValidUntil":"2030-01-01","region":"KZ-31","owner":"police"}""" },
        { "POST", "/api/roadsafety/devices", """{"kind":"lane","vendorClientId":"v","vendor":"v","model":"m","serialNumber":"s","approvalNumber":"a","approvalValidUntil":"0001-01-01","region":"KZ-99","owner":"x","latitude":91,"longitude":0}""" },
        { "POST", "/api/roadsafety/devices/not-a-guid/transitions", """{"to":"active"}""" },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/transitions", """{"to":"flying"}""" },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/transitions", """{"to":"active"}""" },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/verifications", """{"certificateNumber":"c","verifyingBody":"b","verifiedAt":"2026-01-01T00:00:00Z","validUntil":"2025-01-01T00:00:00Z"}""" },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/verifications", """{"verifiedAt":"yesterday"}""" },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/routes", """{"road":"A-1","startedAt":"2026-01-02T00:00:00Z","endedAt":"2026-01-01T00:00:00Z"}""" },
        { "GET", "/api/roadsafety/devices?page=0&pageSize=100000", null },
        { "GET", "/api/roadsafety/devices?pageSize=abc", null },
        { "GET", "/api/roadsafety/devices?region=XX&kind=rocket&status=gone", null },
        { "POST", "/api/roadsafety/sections", """{"entryDeviceId":"00000000-0000-0000-0000-000000000001","exitDeviceId":"00000000-0000-0000-0000-000000000001","lengthMeters":-5,"speedLimitKmh":900}""" },
        { "POST", "/api/roadsafety/sections", """{"name":"s","entryDeviceId":"00000000-0000-0000-0000-000000000001","exitDeviceId":"00000000-0000-0000-0000-000000000002","lengthMeters":5000,"speedLimitKmh":90}""" },
        { "GET", "/api/roadsafety/sections/00000000-0000-0000-0000-000000000001/passages", null },
        { "POST", "/api/roadsafety/rules", """{"effectiveFrom":"2001-01-01T00:00:00Z","speedToleranceKmh":10,"redLightGraceMs":500,"maxPlausibleSpeedKmh":300}""" },
        { "POST", "/api/roadsafety/rules", """{"speedToleranceKmh":-1,"redLightGraceMs":99999,"maxPlausibleSpeedKmh":5}""" },
        { "POST", "/api/roadsafety/fixations/batches", "{}" },
        { "POST", "/api/roadsafety/fixations/batches", """{"fixations":[]}""" },
        { "POST", "/api/roadsafety/fixations/batches", """{"fixations":"all"}""" },
        { "POST", "/api/roadsafety/fixations/batches", """{"fixations":[{"sequence":"x"}]}""" },
        { "GET", "/api/roadsafety/fixations", null },
        { "GET", "/api/roadsafety/fixations?deviceId=00000000-0000-0000-0000-000000000001&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z&outcome=maybe&limit=0", null },
        { "GET", "/api/roadsafety/violations?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", null },
        { "POST", "/api/roadsafety/accidents", """{"accidents":[null,{"occurredAt":"2999-01-01T00:00:00Z","region":"KZ-31","latitude":100,"longitude":0,"deaths":-1,"injuries":5000,"cause":"aliens"}]}""" },
        { "POST", "/api/roadsafety/accidents", """{"accidents":[{"externalId":"a","occurredAt":"2026-01-01T00:00:00Z","region":"KZ-31","latitude":43,"longitude":71,"deaths":0,"injuries":1,"cause":"other"},{"externalId":"a","occurredAt":"2026-01-01T00:00:00Z","region":"KZ-31","latitude":43,"longitude":71,"deaths":0,"injuries":1,"cause":"other"}]}""" },
        { "GET", "/api/roadsafety/accidents?from=x", null },
        { "GET", "/api/roadsafety/hotspots?minAccidents=1&distanceMeters=NaN&months=0&coverageMeters=-1&limit=100000", null },
        { "GET", "/api/roadsafety/hotspots?cameras=true&limit=500", null },
        { "GET", "/api/roadsafety/hotspots?asOf=never", null },
        { "GET", "/api/roadsafety/hotspots/uncovered?region=KZ-00", null },
        { "GET", "/api/roadsafety/indicators/deaths", null },
        { "GET", "/api/roadsafety/indicators/deaths?year=1900", null },
        { "PUT", "/api/roadsafety/indicators/population/KZ-99/2025", """{"population":0}""" },
        { "GET", "/api/roadsafety/indicators/devices/00000000-0000-0000-0000-000000000001/daily?from=2026-02-01&to=2025-01-01", null },
        { "GET", "/api/roadsafety/indicators/devices/anomalies", null },
        { "GET", "/api/roadsafety/indicators/devices/00000000-0000-0000-0000-000000000001/uptime?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task BadInputIsAProblemNotAServerError(string method, string path, string? body)
    {
        using var client = service.Client("roadsafety.read,roadsafety.manage,roadsafety.ingest", client: "vendor-bad-input");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await client.SendAsync(request);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        if (response.StatusCode != HttpStatusCode.NotFound || response.Content.Headers.ContentLength > 0)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheApi()
    {
        using var client = service.Client("roadsafety.read");
        var document = await client.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/api/roadsafety/fixations/batches", "/api/roadsafety/hotspots", "/api/roadsafety/indicators/deaths", "/api/roadsafety/devices/{id}" })
        {
            Assert.Contains($"\"{path}\"", document);
        }
    }

    [Fact]
    public async Task AMalformedRecordIsRejectedAloneAndTheRestOfTheBatchGoesOn()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var device = await service.VerifiedDeviceAsync(vendor);
        using var client = service.Vendor(vendor);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var batch = await service.PostBatchAsync(client,
            null!,
            new { deviceId = device, sequence = -1, occurredAt = at, plate = "123ABC02" },
            new { deviceId = device, sequence = 2, occurredAt = at, plate = "123ABC02", violationCode = "jaywalking", evidence = new[] { new { kind = "photo", id = "p", sha256 = "abc" } } },
            new { deviceId = device, sequence = 3, occurredAt = at, plate = "123ABC02", lane = 99 },
            RoadSafetyService.Speeding(device, 4, at));

        Assert.Equal(["rejected", "rejected", "rejected", "rejected", "accepted"], RoadSafetyService.Results(batch).Select(r => r["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AnotherRegionsDeviceIsNotFoundAndCanNotBeChanged()
    {
        var device = await service.RegisterAsync(RoadSafetyService.NewDevice("vendor-x", region: "KZ-31"));
        using var other = service.Manager("KZ-75");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/roadsafety/devices/{device}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/roadsafety/devices/{device}/transitions", new { to = "maintenance" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/roadsafety/devices/{device}/verifications")).StatusCode);
        var own = await other.GetFromJsonAsync<JsonObject>("/api/roadsafety/devices?pageSize=500");
        Assert.All(own!["items"]!.AsArray(), d => Assert.Equal("KZ-75", d!["region"]!.GetValue<string>()));
        using var response = await other.PostAsJsonAsync("/api/roadsafety/devices", RoadSafetyService.NewDevice("vendor-x", region: "KZ-31"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Outside the caller's region", (await RoadSafetyService.ProblemAsync(response))["title"]!.GetValue<string>());
    }
}
