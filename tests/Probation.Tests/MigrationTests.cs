using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.Testing;

namespace PublicSafety.Probation.Tests;

/// <summary>Schema scripts applied to a database that already holds data.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task EventsRecordedWithPositionsBeforeSchemaVersion2LoseThemInTheOutbox()
    {
        await using var database = await TestDatabase.CreateAsync("probation", postgis: true);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);
        var scripts = MigrationScript.FromAssembly(typeof(Extensions.Extensions).Assembly);
        await runner.ApplyAsync([.. MigrationScript.Platform, .. scripts.Where(s => s.Version < 8)], default);
        await using (var cmd = dataSource.CreateCommand("""
            INSERT INTO outbox_messages (message_id, aggregate_key, message_type, body, occurred_at) VALUES
            (gen_random_uuid(), 'p', 'PublicSafety.Contracts.Probation.ProbationViolationDetected, PublicSafety.Contracts',
             '{"personReference": "PRB-1", "evidence": [{"latitude": 43.2, "longitude": 76.9}], "schemaVersion": 1}', now()),
            (gen_random_uuid(), 'a', 'PublicSafety.Contracts.Probation.ProbationAlertEscalated, PublicSafety.Contracts',
             '{"personReference": "PRB-1", "latitude": 43.2, "longitude": 76.9, "schemaVersion": 1}', now())
            """))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        await runner.ApplyAsync([.. MigrationScript.Platform, .. scripts], default);

        await using var read = dataSource.CreateCommand("SELECT body::text FROM outbox_messages ORDER BY id");
        await using var r = await read.ExecuteReaderAsync();
        var bodies = new List<JsonElement>();
        while (await r.ReadAsync()) bodies.Add(JsonDocument.Parse(r.GetString(0)).RootElement.Clone());
        Assert.Equal(2, bodies.Count);
        foreach (var body in bodies)
        {
            Assert.Equal("PRB-1", body.GetProperty("personReference").GetString());
            Assert.False(body.TryGetProperty("evidence", out _) || body.TryGetProperty("latitude", out _) || body.TryGetProperty("longitude", out _));
        }
    }
}
