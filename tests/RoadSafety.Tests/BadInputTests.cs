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
        { "GET", "/api/roadsafety/devices?verification=expired", null },
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

        // Times and dates at the ends of the calendar, in Kazakhstan's offset or not representable in UTC.
        { "GET", "/api/roadsafety/indicators/devices/00000000-0000-0000-0000-000000000001/daily?from=0001-01-01&to=0001-01-02", null },
        { "GET", "/api/roadsafety/indicators/devices/00000000-0000-0000-0000-000000000001/daily?from=9999-12-30&to=9999-12-31", null },
        { "GET", "/api/roadsafety/indicators/devices/anomalies?day=0001-01-01", null },
        { "GET", "/api/roadsafety/indicators/devices/anomalies?day=9999-12-31", null },
        { "GET", "/api/roadsafety/indicators/devices/00000000-0000-0000-0000-000000000001/uptime?from=0001-01-01T00:00:00%2B05:00&to=2026-01-01T00:00:00Z", null },
        { "GET", "/api/roadsafety/indicators/devices/00000000-0000-0000-0000-000000000001/uptime?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z", null },
        { "GET", "/api/roadsafety/fixations?deviceId=00000000-0000-0000-0000-000000000001&from=0001-01-01T00:00:00Z&to=0001-01-02T00:00:00Z", null },
        { "GET", "/api/roadsafety/violations?from=9999-12-30T00:00:00Z&to=9999-12-31T23:59:59.9999999Z", null },
        { "GET", "/api/roadsafety/accidents?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.9999999Z", null },
        { "GET", "/api/roadsafety/sections/00000000-0000-0000-0000-000000000001/passages?from=0001-01-01T00:00:00Z&to=9999-12-31T00:00:00Z", null },
        { "GET", "/api/roadsafety/hotspots?asOf=0001-01-01T00:00:00%2B05:00", null },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/verifications", """{"certificateNumber":"c","verifyingBody":"b","verifiedAt":"0001-01-01T00:00:00+05:00","validUntil":"2030-01-01T00:00:00+05:00"}""" },
        { "POST", "/api/roadsafety/rules", """{"effectiveFrom":"9999-12-31T23:59:59-05:00","speedToleranceKmh":10,"redLightGraceMs":500,"maxPlausibleSpeedKmh":300}""" },

        // NUL and other control characters in every text field and query parameter.
        { "POST", "/api/roadsafety/devices", Device("vendorClientId", "v\\u0000") },
        { "POST", "/api/roadsafety/devices", Device("vendor", "v\\u0000") },
        { "POST", "/api/roadsafety/devices", Device("model", "m\\u0000") },
        { "POST", "/api/roadsafety/devices", Device("serialNumber", "s\\u0000") },
        { "POST", "/api/roadsafety/devices", Device("approvalNumber", "a\\u0000") },
        { "POST", "/api/roadsafety/devices", Device("road", "M-39\\u0000") },
        { "POST", "/api/roadsafety/devices", Device("model", "m\\u001b[2J") },
        { "POST", "/api/roadsafety/devices", Device("direction", "increasing_km\\u0000") },
        { "PUT", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001", Device("vendor", "v\\u0000") },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/verifications", """{"certificateNumber":"c\u0000","verifyingBody":"b","verifiedAt":"2026-01-01T00:00:00Z","validUntil":"2027-01-01T00:00:00Z"}""" },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/verifications", """{"certificateNumber":"c","verifyingBody":"b\u0007","verifiedAt":"2026-01-01T00:00:00Z","validUntil":"2027-01-01T00:00:00Z"}""" },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/routes", """{"road":"A-1\u0000","startedAt":"2026-01-01T00:00:00Z","endedAt":"2026-01-02T00:00:00Z"}""" },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/routes", """{"road":"A-1","startedAt":"2026-01-01T00:00:00Z","endedAt":"2026-01-02T00:00:00Z","description":"d\u0000"}""" },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/transitions", """{"to":"active\u0000"}""" },
        { "POST", "/api/roadsafety/sections", """{"name":"s\u0000","entryDeviceId":"00000000-0000-0000-0000-000000000001","exitDeviceId":"00000000-0000-0000-0000-000000000002","lengthMeters":5000,"speedLimitKmh":90}""" },
        { "POST", "/api/roadsafety/rules", """{"effectiveFrom":"2099-01-01T00:00:00Z","speedToleranceKmh":10,"redLightGraceMs":500,"maxPlausibleSpeedKmh":300,"note":"n\u0000"}""" },
        { "POST", "/api/roadsafety/accidents", """{"accidents":[{"externalId":"a\u0000","occurredAt":"2026-01-01T00:00:00Z","region":"KZ-31","latitude":43,"longitude":71,"deaths":0,"injuries":1,"cause":"other"}]}""" },
        { "POST", "/api/roadsafety/accidents", """{"accidents":[{"externalId":"nul-road","occurredAt":"2026-01-01T00:00:00Z","region":"KZ-31","road":"A\u0000","latitude":43,"longitude":71,"deaths":0,"injuries":1,"cause":"other"}]}""" },
        { "POST", "/api/roadsafety/accidents", """{"accidents":[{"externalId":"nul-cause","occurredAt":"2026-01-01T00:00:00Z","region":"KZ-31\u0000","latitude":43,"longitude":71,"deaths":0,"injuries":1,"cause":"other\u0000"}]}""" },
        { "PUT", "/api/roadsafety/indicators/population/KZ-31/2099", """{"population":1000,"source":"s\u0000"}""" },
        { "PUT", "/api/roadsafety/indicators/population/KZ-31%00/2099", """{"population":1000,"source":"s"}""" },
        { "GET", "/api/roadsafety/devices?vendorClientId=v%00", null },
        { "GET", "/api/roadsafety/devices?vendorClientId=" + new string('v', 201), null },
        { "GET", "/api/roadsafety/devices?region=KZ-31%00", null },
        { "GET", "/api/roadsafety/devices?kind=lane%00", null },
        { "GET", "/api/roadsafety/sections?region=%00", null },
        { "GET", "/api/roadsafety/fixations?deviceId=00000000-0000-0000-0000-000000000001&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&outcome=accepted%00", null },
        { "GET", "/api/roadsafety/hotspots?region=KZ-31%00", null },
        { "GET", "/api/roadsafety/indicators/deaths?year=2026&region=%00", null },

        // Numbers out of range, wrong JSON types, bodies that are not what they claim.
        { "GET", "/api/roadsafety/devices?page=-1", null },
        { "GET", "/api/roadsafety/devices?page=99999999999", null },
        { "GET", "/api/roadsafety/devices?pageSize=0", null },
        { "GET", "/api/roadsafety/fixations?deviceId=00000000-0000-0000-0000-000000000001&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&limit=-1", null },
        { "GET", "/api/roadsafety/violations?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&limit=99999999999", null },
        { "GET", "/api/roadsafety/violations?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&deviceId=not-a-guid", null },
        { "GET", "/api/roadsafety/accidents?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&limit=0", null },
        { "GET", "/api/roadsafety/hotspots?distanceMeters=Infinity", null },
        { "GET", "/api/roadsafety/hotspots?coverageMeters=NaN", null },
        { "GET", "/api/roadsafety/hotspots?distanceMeters=1e309", null },
        { "GET", "/api/roadsafety/hotspots?minAccidents=99999999999", null },
        { "GET", "/api/roadsafety/hotspots?months=-2147483648", null },
        { "GET", "/api/roadsafety/hotspots?cameras=maybe", null },
        { "GET", "/api/roadsafety/indicators/deaths?year=99999999999", null },
        { "PUT", "/api/roadsafety/indicators/population/KZ-31/99999999999", """{"population":1000,"source":"s"}""" },
        { "PUT", "/api/roadsafety/indicators/population/KZ-31/2099", """{"population":99999999999,"source":"s"}""" },
        { "PUT", "/api/roadsafety/indicators/population/KZ-31/2099", "" },
        { "PUT", "/api/roadsafety/indicators/population/KZ-31/2099", "null" },
        { "POST", "/api/roadsafety/devices", "null" },
        { "POST", "/api/roadsafety/devices", "" },
        { "POST", "/api/roadsafety/devices", new string('[', 5000) + new string(']', 5000) },
        { "POST", "/api/roadsafety/devices", Device("model", "\\uD800") },
        { "POST", "/api/roadsafety/devices", Device("vendor", new string('v', 201)) },
        { "POST", "/api/roadsafety/devices", Device("kind", "rocket") },
        { "POST", "/api/roadsafety/devices", Device("latitude", "NaN") },
        { "POST", "/api/roadsafety/devices", DeviceRaw("kmMarker", "1e30") },
        { "POST", "/api/roadsafety/devices", DeviceRaw("kmMarker", "-0.5") },
        { "POST", "/api/roadsafety/devices", DeviceRaw("latitude", "1e309") },
        { "POST", "/api/roadsafety/devices", DeviceRaw("latitude", "true") },
        { "POST", "/api/roadsafety/devices", DeviceRaw("approvalValidUntil", "\"2030-02-30\"") },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/transitions", """{"to":"active","on":"2026-13-01"}""" },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/transitions", "null" },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/verifications", "null" },
        { "POST", "/api/roadsafety/devices/00000000-0000-0000-0000-000000000001/routes", "null" },
        { "POST", "/api/roadsafety/sections", "null" },
        { "POST", "/api/roadsafety/sections", """{"name":"s","entryDeviceId":"00000000-0000-0000-0000-000000000001","exitDeviceId":"00000000-0000-0000-0000-000000000002","lengthMeters":"Infinity","speedLimitKmh":90}""" },
        { "POST", "/api/roadsafety/sections", """{"name":"s","entryDeviceId":"not-a-guid","exitDeviceId":"00000000-0000-0000-0000-000000000002","lengthMeters":5000,"speedLimitKmh":90}""" },
        { "POST", "/api/roadsafety/sections", """{"name":"s","entryDeviceId":"00000000-0000-0000-0000-000000000001","exitDeviceId":"00000000-0000-0000-0000-000000000002","lengthMeters":5000,"speedLimitKmh":90,"maxTravelSeconds":99999999999}""" },
        { "POST", "/api/roadsafety/rules", "null" },
        { "POST", "/api/roadsafety/fixations/batches", "null" },
        { "POST", "/api/roadsafety/fixations/batches", """{"fixations":[{"deviceId":"00000000-0000-0000-0000-000000000001","sequence":99999999999999999999}]}""" },
        { "POST", "/api/roadsafety/fixations/batches", """{"fixations":[{"deviceId":"00000000-0000-0000-0000-000000000001","sequence":1,"speedKmh":1e400}]}""" },
        { "POST", "/api/roadsafety/accidents", "null" },
        { "POST", "/api/roadsafety/accidents", """{"accidents":[{"externalId":"nan","occurredAt":"2026-01-01T00:00:00Z","region":"KZ-31","latitude":"NaN","longitude":"Infinity","deaths":0,"injuries":1,"cause":"other"}]}""" },
        { "POST", "/api/roadsafety/accidents", """{"accidents":[{"externalId":"big","occurredAt":"2026-01-01T00:00:00Z","region":"KZ-31","latitude":43,"longitude":71,"deaths":99999999999,"injuries":1,"cause":"other"}]}""" },
        { "POST", "/api/roadsafety/accidents", """{"accidents":[{"externalId":"km","occurredAt":"2026-01-01T00:00:00Z","region":"KZ-31","latitude":43,"longitude":71,"kmMarker":1e30,"deaths":0,"injuries":1,"cause":"other"}]}""" },
        { "POST", "/api/roadsafety/accidents", "{\"accidents\":[{\"externalId\":\"long\",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"region\":\"KZ-31\",\"latitude\":43,\"longitude\":71,\"deaths\":0,\"injuries\":1,\"cause\":\"other\",\"road\":\"" + new string('r', 201) + "\"}]}" },
        { "TEXT", "/api/roadsafety/devices", Device("model", "m") },
        { "TEXT", "/api/roadsafety/fixations/batches", """{"fixations":[]}""" },
    };

    private const string GoodDevice = """
        {"kind":"instant_speed","vendorClientId":"vendor-bad-input","vendor":"Vendor","model":"M","serialNumber":"S-1","approvalNumber":"A","approvalValidUntil":"2030-01-01","region":"KZ-31","road":"M-39","direction":"increasing_km","latitude":42.9,"longitude":71.37,"owner":"police"}
        """;

    /// <summary>A well-formed device with one text field replaced (the value is a JSON string body, escapes allowed).</summary>
    private static string Device(string field, string value) => DeviceRaw(field, $"\"{value}\"");

    /// <summary>A well-formed device with one field set to a raw JSON value.</summary>
    private static string DeviceRaw(string field, string json)
    {
        var device = System.Text.Json.Nodes.JsonNode.Parse(GoodDevice)!.AsObject();
        device.Remove(field);
        return device.ToJsonString()[..^1] + $",\"{field}\":{json}}}";
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task BadInputIsAProblemNotAServerError(string method, string path, string? body)
    {
        using var client = service.Client("roadsafety.read,roadsafety.manage,roadsafety.ingest", client: "vendor-bad-input");
        using var request = new HttpRequestMessage(method == "TEXT" ? HttpMethod.Post : new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, method == "TEXT" ? "text/plain" : "application/json");

        using var response = await client.SendAsync(request);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        // Kestrel itself refuses a path with an encoded NUL (400, no body) before the service sees it.
        if ((response.StatusCode != HttpStatusCode.NotFound || response.Content.Headers.ContentLength > 0) && !path.Split('?')[0].Contains("%00", StringComparison.Ordinal))
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static readonly TimeSpan Kz = TimeSpan.FromHours(5);

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    [Fact]
    public async Task TimesInKazakhstansOffsetAreAcceptedEverywhereAndStoredInUtc()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var device = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor));
        var mobile = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor, "mobile"));
        using var manager = service.Manager();
        var verifiedAt = DateTimeOffset.UtcNow.AddDays(-30).ToOffset(Kz);
        using (var verification = await manager.PostAsJsonAsync($"/api/roadsafety/devices/{device}/verifications",
                   new { certificateNumber = $"ПВ-{Guid.NewGuid():N}", verifyingBody = "КазИнМетр", verifiedAt, validUntil = verifiedAt.AddYears(1) }))
        {
            Assert.True(verification.StatusCode == HttpStatusCode.Created, await verification.Content.ReadAsStringAsync());
            Assert.Equal(TimeSpan.Zero, (await verification.Content.ReadFromJsonAsync<JsonObject>())!["verifiedAt"]!.GetValue<DateTimeOffset>().Offset);
        }

        using (var route = await manager.PostAsJsonAsync($"/api/roadsafety/devices/{mobile}/routes",
                   new { road = "A-2", startedAt = verifiedAt, endedAt = verifiedAt.AddHours(8), description = "day shift\nnight shift" }))
        {
            Assert.True(route.StatusCode == HttpStatusCode.Created, await route.Content.ReadAsStringAsync());
        }

        using (var accidents = await manager.PostAsJsonAsync("/api/roadsafety/accidents", new
               {
                   accidents = new[]
                   {
                       new { externalId = Guid.NewGuid().ToString("N"), occurredAt = verifiedAt, region = "KZ-31", latitude = 44.1, longitude = 73.1, deaths = 0, injuries = 0, cause = "other" },
                   },
               }))
        {
            Assert.True(accidents.IsSuccessStatusCode, await accidents.Content.ReadAsStringAsync());
        }

        using var vendorClient = service.Vendor(vendor);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        var at = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)).ToOffset(Kz);
        var batch = await service.PostBatchAsync(vendorClient, RoadSafetyService.Speeding(device, 1, at));
        Assert.Equal("accepted", RoadSafetyService.Results(batch)[0]["status"]!.GetValue<string>());

        var from = Q(at.AddHours(-1));
        var to = Q(at.AddHours(1));
        foreach (var path in new[]
                 {
                     $"/api/roadsafety/fixations?deviceId={device}&from={from}&to={to}", $"/api/roadsafety/violations?deviceId={device}&from={from}&to={to}",
                     $"/api/roadsafety/accidents?from={from}&to={to}", $"/api/roadsafety/indicators/devices/{device}/uptime?from={from}&to={to}",
                     $"/api/roadsafety/hotspots?asOf={to}",
                 })
        {
            using var response = await manager.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var fixations = await manager.GetFromJsonAsync<JsonArray>($"/api/roadsafety/fixations?deviceId={device}&from={from}&to={to}");
        Assert.Equal(at.UtcDateTime, Assert.Single(fixations!)!["occurredAt"]!.GetValue<DateTimeOffset>().UtcDateTime);
    }

    [Fact]
    public async Task ControlCharactersInAFixationAreRejectedPerRecord()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var device = await service.VerifiedDeviceAsync(vendor);
        using var client = service.Vendor(vendor);
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var hash = new string('a', 64);
        var batch = await service.PostBatchAsync(client,
            new { deviceId = device, sequence = 1, occurredAt = at, plate = "123ABC02", violationCode = "speeding", speedKmh = 99, limitKmh = 60,
                evidence = new[] { new { kind = "photo", id = "p\u0000", sha256 = hash } } },
            new { deviceId = device, sequence = 2, occurredAt = at, plate = "123ABC02", violationCode = "speeding", speedKmh = 99, limitKmh = 60,
                evidence = new[] { new { kind = "photo", id = "p\u001b[0m", sha256 = hash } } },
            new { deviceId = device, sequence = 3, occurredAt = at, plate = "123\u0000ABC02" },
            new { deviceId = device, sequence = 4, occurredAt = at, plate = "123ABC02" + new string(' ', 60) + "XYZ" },
            RoadSafetyService.Speeding(device, 5, at));

        Assert.Equal(["rejected", "rejected", "rejected", "rejected", "accepted"], RoadSafetyService.Results(batch).Select(r => r["status"]!.GetValue<string>()));
        Assert.All(RoadSafetyService.Results(batch).Take(4), r => Assert.Equal("invalid_record", r["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DailyCountsAndAnomaliesAtTheEndsOfTheCalendarAreAProblem()
    {
        var device = await service.RegisterAsync(RoadSafetyService.NewDevice($"vendor-{Guid.NewGuid():N}"));
        using var reader = service.Reader();
        foreach (var path in new[]
                 {
                     $"/api/roadsafety/indicators/devices/{device}/daily?from=0001-01-01&to=0001-01-02",
                     $"/api/roadsafety/indicators/devices/{device}/daily?from=9999-12-30&to=9999-12-31",
                     $"/api/roadsafety/indicators/devices/{device}/uptime?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.9999999Z",
                     "/api/roadsafety/indicators/devices/anomalies?day=0001-01-01",
                 })
        {
            using var response = await reader.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task ASectionNameWithAControlCharacterIsAProblem()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var entry = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor, "section", lat: 43.5, lon: 71.5));
        var exit = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor, "section", lat: 43.54, lon: 71.52));
        using var manager = service.Manager();
        using var response = await manager.PostAsJsonAsync("/api/roadsafety/sections",
            new { name = "km 10\u0000-15", entryDeviceId = entry, exitDeviceId = exit, lengthMeters = 5000, speedLimitKmh = 90 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await RoadSafetyService.ProblemAsync(response))["errors"]!["name"]);
    }

    [Fact]
    public async Task AccidentsAndDevicesOutsideKazakhstanAreAValidationProblem()
    {
        // The poles and the antimeridian (which once made the hotspots pick polar and wrong-hemisphere UTM zones), zero,
        // swapped coordinates of Almaty, and points just outside the bounding box.
        var points = new[] { (90.0, 0.0), (-89.9999, 170.0), (0.0, 180.0), (0.0001, -179.9999), (0.0, 0.0), (76.9, 43.2), (39.99, 60.0), (45.0, 88.01) };
        using var manager = service.Manager();
        foreach (var (lat, lon) in points)
        {
            using var accident = await manager.PostAsJsonAsync("/api/roadsafety/accidents", new
            {
                accidents = new[]
                {
                    new { externalId = Guid.NewGuid().ToString("N"), occurredAt = DateTimeOffset.UtcNow.AddDays(-1), region = "KZ-10", latitude = lat, longitude = lon,
                          deaths = 1, injuries = 1, cause = "other" },
                },
            });
            Assert.True(accident.StatusCode == HttpStatusCode.BadRequest, $"accident at {lat}, {lon}: {(int)accident.StatusCode}");
            Assert.NotNull((await RoadSafetyService.ProblemAsync(accident))["errors"]!["accidents[0].latitude"]);

            using var device = await manager.PostAsJsonAsync("/api/roadsafety/devices", RoadSafetyService.NewDevice($"vendor-{Guid.NewGuid():N}", lat: lat, lon: lon));
            Assert.True(device.StatusCode == HttpStatusCode.BadRequest, $"device at {lat}, {lon}: {(int)device.StatusCode}");
            Assert.NotNull((await RoadSafetyService.ProblemAsync(device))["errors"]!["latitude"]);
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
