using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.RoadSafety.Tests;

/// <summary>A service of its own: a new rule version changes how every later fixation is judged.</summary>
public sealed class RuleVersionTests(RoadSafetyService service) : IClassFixture<RoadSafetyService>
{
    [Fact]
    public async Task EachDecisionUsesTheRuleVersionInEffectAtTheFixationsOwnTime()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var device = await service.VerifiedDeviceAsync(vendor);
        var effective = DateTimeOffset.UtcNow.AddSeconds(30);
        using var manager = service.Manager();
        using (var created = await manager.PostAsJsonAsync("/api/roadsafety/rules",
                   new { effectiveFrom = effective, speedToleranceKmh = 0, redLightGraceMs = 0, maxPlausibleSpeedKmh = 250, note = "zero tolerance" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(2, (await created.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>());
        }

        using (var regional = service.Manager("KZ-31"))
        {
            using var refused = await regional.PostAsJsonAsync("/api/roadsafety/rules",
                new { effectiveFrom = effective.AddDays(1), speedToleranceKmh = 5, redLightGraceMs = 0, maxPlausibleSpeedKmh = 250 });
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // 5 km/h over the limit: within the old tolerance (10), an offence under the new one (0). Devices may be a
        // little ahead of our clock, so a fixation 30 s ahead is accepted and falls under version 2.
        using var client = service.Vendor(vendor);
        var results = RoadSafetyService.Results(await service.PostBatchAsync(client,
            RoadSafetyService.Speeding(device, 1, effective.AddMilliseconds(-1), speed: 65, limit: 60),
            RoadSafetyService.Speeding(device, 2, effective, speed: 65, limit: 60)));

        Assert.Equal(("inadmissible", 1), (results[0]["status"]!.GetValue<string>(), results[0]["ruleVersion"]!.GetValue<int>()));
        Assert.Equal(("accepted", 2), (results[1]["status"]!.GetValue<string>(), results[1]["ruleVersion"]!.GetValue<int>()));
        Assert.Equal(2, await service.ScalarAsync("SELECT rule_version FROM violations WHERE device_id = @d", ("d", device)));
    }
}
