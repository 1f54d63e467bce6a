using Npgsql;
using PublicSafety.Testing;

namespace PublicSafety.CrisisCapacity.Tests;

public sealed class SeedTests
{
    [Fact]
    public async Task TheSyntheticDatasetMatchesTheConceptsTotalsAndIsLabelled()
    {
        var (service, database) = await ServiceProcess.StartWithDatabaseAsync("CrisisCapacity",
            new Dictionary<string, string?> { ["Crisis__SeedSynthetic"] = "true" });
        await using var _ = service;
        await using var __ = database;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();

        Assert.True(await Eventually.HoldsAsync(async () => await ScalarAsync(connection, "SELECT count(*) FROM facilities") == 61, TimeSpan.FromSeconds(30)));
        Assert.Equal(976, await ScalarAsync(connection, "SELECT sum(total) FROM bed_categories"));
        Assert.Equal(15, await ScalarAsync(connection, "SELECT count(*) FROM facilities WHERE kind = 'crisis_centre_state'"));
        Assert.Equal(46, await ScalarAsync(connection, "SELECT count(*) FROM facilities WHERE kind = 'crisis_centre_ngo'"));
        Assert.Equal(20, await ScalarAsync(connection, "SELECT count(DISTINCT region) FROM facilities"));
        Assert.Equal(61, await ScalarAsync(connection, "SELECT count(*) FROM facilities WHERE synthetic AND name LIKE 'Synthetic %' AND confidential_address LIKE 'Synthetic %'"));
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
