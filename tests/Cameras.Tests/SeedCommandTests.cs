using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>`PublicSafety.Cameras seed`: the synthetic national dataset on a fresh database, labelled, loaded once, never over real data.</summary>
public sealed class SeedCommandTests
{
    private const int Cameras = 4000;

    [Fact]
    public async Task SeedLoadsALabelledNationalDatasetOnceAndTheCoverageReportsAnswerSensibly()
    {
        await using var database = await TestDatabase.CreateAsync("cameras", postgis: true);
        var first = await SeedAsync(database, $"--cameras {Cameras}");
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.StartsWith("SYNTHETIC DATA (not a real inventory) loaded", first.Output);
        Assert.Contains("20 regions", first.Output);

        var second = await SeedAsync(database, $"--cameras {Cameras}");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("already loaded", second.Output);
        await using (var db = new NpgsqlConnection(database.ConnectionString))
        {
            await db.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*), count(*) FILTER (WHERE synthetic) FROM cameras", db);
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.InRange(reader.GetInt64(0), Cameras * 0.95, Cameras * 1.1);   // each settlement's count is rounded, at least 3
            Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
        }

        await using var service = await ServiceProcess.StartReadyAsync("Cameras", ServiceProcess.EnvironmentFor("Cameras", database.ConnectionString));
        using var client = service.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["cameras.read"] }));

        var settlements = (await client.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/settlements"))!;
        Assert.Equal(20, settlements.Select(s => s.GetProperty("region").GetString()).Distinct().Count());
        Assert.All(settlements, s =>
        {
            Assert.True(s.GetProperty("population").GetInt32() > 0);
            Assert.True(s.GetProperty("activeCameras").GetInt64() > 0);
            // Far below the 15-per-100 target everywhere, as the concept says of today's coverage.
            Assert.InRange(s.GetProperty("camerasPer100Residents").GetDouble(), 0.001, 1);
            Assert.False(s.GetProperty("meetsTarget").GetBoolean());
        });
        Assert.InRange(settlements.Sum(s => (long)s.GetProperty("population").GetInt32()), 19_000_000, 21_000_000);

        var installations = (await client.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/installations"))!;
        var national2024 = installations.Single(r => r.GetProperty("year").GetInt32() == 2024 && r.GetProperty("region").GetString() == "KZ");
        Assert.Equal(20600, national2024.GetProperty("plannedCameras").GetInt32());
        Assert.True(national2024.GetProperty("installedCameras").GetInt64() > 0);

        var uncovered = (await client.GetFromJsonAsync<JsonElement[]>("/api/cameras/coverage/sites/uncovered"))!;
        await using (var db = new NpgsqlConnection(database.ConnectionString))
        {
            await db.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FROM crime_prone_sites WHERE synthetic", db);
            var sites = (long)(await cmd.ExecuteScalarAsync())!;
            Assert.InRange(uncovered.Length, 1, sites - 1);
        }

        var page = await client.GetFromJsonAsync<JsonElement>("/api/cameras?pageSize=5");
        Assert.All(page.GetProperty("items").EnumerateArray(), c => Assert.True(c.GetProperty("synthetic").GetBoolean()));
        // Schools (14.1): a camera works once it reports; then some schools comply, some not, each reported with its problems.
        using var manager = service.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["cameras.manage"] }));
        var beat = await manager.PostAsJsonAsync("/api/cameras/heartbeats",
            new { heartbeats = (await SchoolCamerasAsync(database)).Select(id => new { cameraId = id }).ToArray() });
        Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
        var schools = (await client.GetFromJsonAsync<JsonElement[]>("/api/cameras/schools/compliance?all=true"))!;
        Assert.Contains(schools, s => s.GetProperty("compliant").GetBoolean());
        Assert.Contains(schools, s => !s.GetProperty("compliant").GetBoolean() && s.GetProperty("problems").GetArrayLength() > 0);
    }

    [Fact]
    public async Task SeedRefusesADatabaseHoldingRealCameras()
    {
        await using var database = await TestDatabase.CreateAsync("cameras", postgis: true);
        await using (var service = await ServiceProcess.StartReadyAsync("Cameras", ServiceProcess.EnvironmentFor("Cameras", database.ConnectionString)))
        {
            using var manager = service.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["cameras.manage"] }));
            var created = await manager.PostAsJsonAsync("/api/cameras", new { kind = "fixed", region = "KZ-75", latitude = 43.2, longitude = 76.9 });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var refused = await SeedAsync(database, "");
        Assert.True(refused.ExitCode == 2, refused.Output);
        Assert.Contains("SYNTHETIC DATA NOT LOADED", refused.Output);
        await using var db = new NpgsqlConnection(database.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT (SELECT count(*) FROM cameras) + (SELECT count(*) FROM settlements) + (SELECT count(*) FROM synthetic_datasets)", db);
        Assert.Equal(1L, await cmd.ExecuteScalarAsync());

        var usage = await SeedAsync(database, "--cameras lots");
        Assert.Equal(2, usage.ExitCode);
    }

    private static async Task<Guid[]> SchoolCamerasAsync(TestDatabase database)
    {
        await using var db = new NpgsqlConnection(database.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT id FROM cameras WHERE school_id IS NOT NULL AND status = 'active'", db);
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return [.. ids];
    }

    private static Task<(int ExitCode, string Output)> SeedAsync(TestDatabase database, string arguments) =>
        ServiceProcess.RunCommandAsync("Cameras", database.ConnectionString, ["seed", .. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
}
