using System.Diagnostics;
using Npgsql;
using PublicSafety.Testing;

namespace PublicSafety.RoadSafety.Tests;

/// <summary>`PublicSafety.RoadSafety seed`: the synthetic dataset on a fresh database, labelled, loaded once, never beside real data.</summary>
public sealed class SeedCommandTests
{
    private const string Counts = """
        SELECT (SELECT count(*) FROM devices) || '/' || (SELECT count(*) FROM sections) || '/' || (SELECT count(*) FROM accidents)
               || '/' || (SELECT count(*) FROM region_population) || '/' || (SELECT count(*) FROM device_verifications)
        """;

    [Fact]
    public async Task SeedLoadsTheLabelledDatasetOnceAndASecondRunChangesNothing()
    {
        await using var database = await TestDatabase.CreateAsync("roadsafety", postgis: true);
        var first = await SeedAsync(database);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.StartsWith("SYNTHETIC DATA (not real devices or accidents) loaded: 1,162 devices", first.Output);
        Assert.Equal("1162/20/20000/20/1162", await ScalarAsync(database, Counts));
        Assert.Equal("0", await ScalarAsync(database,
            "SELECT count(*) FROM devices WHERE vendor <> 'Synthetic vendor' OR serial_number NOT LIKE 'SYN-%'"));

        // An accident removed after the load stays removed: the second run does not load the dataset again over what is there.
        await ScalarAsync(database, "DELETE FROM accidents WHERE external_id = 'SYN-1' RETURNING 1");
        // Configuration overrides pass through as for the service, in either form.
        var second = await SeedAsync(database, "--Logging:LogLevel:Default", "Warning", "--RoadSafety:SilentAfter=00:45:00");
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.StartsWith("SYNTHETIC DATA already loaded", second.Output);
        Assert.Contains("nothing changed", second.Output);
        Assert.Equal("1162/20/19999/20/1162", await ScalarAsync(database, Counts));
    }

    [Fact]
    public async Task SeedRefusesADatabaseHoldingARealDevice()
    {
        var service = new RoadSafetyService();
        await service.InitializeAsync();
        try
        {
            await service.RegisterAsync(RoadSafetyService.NewDevice("vendor-real"));

            var refused = await SeedAsync(service.Database);
            Assert.True(refused.ExitCode == 2, refused.Output);
            Assert.Contains("SYNTHETIC DATA NOT LOADED", refused.Output);
            Assert.Equal("1/0/0/0/0", await ScalarAsync(service.Database, Counts));

            var usage = await SeedAsync(service.Database, "lots");
            Assert.Equal(2, usage.ExitCode);
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    private static async Task<string?> ScalarAsync(TestDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (await cmd.ExecuteScalarAsync())?.ToString();
    }

    /// <summary>Runs the service's executable with the seed verb, configured like the service.</summary>
    private static Task<(int ExitCode, string Output)> SeedAsync(TestDatabase database, params string[] arguments) =>
        ServiceProcess.RunCommandAsync("RoadSafety", database.ConnectionString, ["seed", .. arguments]);
}
