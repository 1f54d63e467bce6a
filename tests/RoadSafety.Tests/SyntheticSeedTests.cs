using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PublicSafety.Testing;

namespace PublicSafety.RoadSafety.Tests;

public sealed class SeededRoadSafety() : RoadSafetyService(new() { ["RoadSafety__SeedSynthetic"] = "true" });

public sealed class SyntheticSeedTests(SeededRoadSafety service) : IClassFixture<SeededRoadSafety>
{
    [Fact]
    public async Task TheSyntheticDatasetLoadsLabelledAndAVendorTokenCanPostForItsDevices()
    {
        Assert.True(await Eventually.HoldsAsync(async () => await service.ScalarAsync("SELECT count(*) FROM accidents") == 20_000, TimeSpan.FromSeconds(60)));
        Assert.Equal(1162, await service.ScalarAsync("SELECT count(*) FROM devices WHERE vendor = 'Synthetic vendor' AND serial_number LIKE 'SYN-%'"));
        Assert.Equal(62, await service.ScalarAsync("SELECT count(*) FROM devices WHERE kind = 'mobile'"));
        Assert.Equal(20, await service.ScalarAsync("SELECT count(*) FROM sections"));
        Assert.Equal(20, await service.ScalarAsync("SELECT count(*) FROM region_population WHERE source LIKE 'synthetic%'"));

        using var reader = service.Reader();
        var plan = (await reader.GetFromJsonAsync<JsonArray>("/api/roadsafety/indicators/deployment"))!;
        Assert.Equal(1100, plan[0]!["stationaryActual"]!.GetValue<int>());
        var sites = (await reader.GetFromJsonAsync<JsonObject>("/api/roadsafety/hotspots?limit=5"))!;
        Assert.True(sites["total"]!.GetValue<int>() > 0);

        var device = await service.ScalarAsync("SELECT count(*) FROM devices d JOIN device_verifications v ON v.device_id = d.id WHERE v.valid_until > now()");
        Assert.True(device > 1000);
        var id = Guid.Parse((await reader.GetFromJsonAsync<JsonObject>("/api/roadsafety/devices?kind=instant_speed&verificationLapsed=false&pageSize=1"))!
            ["items"]![0]!["id"]!.GetValue<string>());
        using var vendor = service.Vendor("roadsafety-device-vendor");
        var batch = await service.PostBatchAsync(vendor, RoadSafetyService.Speeding(id, 1, DateTimeOffset.UtcNow.AddSeconds(-5)));
        Assert.Equal(1, batch["accepted"]!.GetValue<int>());
    }
}
