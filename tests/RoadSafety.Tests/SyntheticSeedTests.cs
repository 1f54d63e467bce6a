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
        var id = Guid.Parse((await reader.GetFromJsonAsync<JsonObject>("/api/roadsafety/devices?kind=instant_speed&verification=valid&pageSize=1"))!
            ["items"]![0]!["id"]!.GetValue<string>());
        using var vendor = service.Vendor("roadsafety-device-vendor");
        var batch = await service.PostBatchAsync(vendor, RoadSafetyService.Speeding(id, 1, DateTimeOffset.UtcNow.AddSeconds(-5)));
        Assert.Equal(1, batch["accepted"]!.GetValue<int>());
    }
}

public sealed class SyntheticSeedInProductionTests
{
    [Fact]
    public async Task TheServiceRefusesToStartInProductionWithTheSeedFlag()
    {
        await using var database = await TestDatabase.CreateAsync("roadsafety", postgis: true);
        var environment = ServiceProcess.EnvironmentFor("RoadSafety", database.ConnectionString);
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Production's other required settings, so that the seed flag is what stops the start.
        environment["Keycloak__Authority"] = "https://keycloak.invalid/realms/public-safety";
        environment["RoadSafety__SeedSynthetic"] = "true";
        await using var process = ServiceProcess.Start("RoadSafety", environment);

        const string Refusal = "RoadSafety:SeedSynthetic is true in the Production environment";
        Assert.True(await process.ExitsWithinAsync(TimeSpan.FromSeconds(30)), process.RecentOutput());
        Assert.Contains(Refusal, process.RecentOutput());
        Assert.Equal(0, await ScalarAsync(database.ConnectionString, "SELECT count(*) FROM pg_tables WHERE tablename = 'accidents'"));
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
