using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>Migration 0011 on a database that already holds cameras: where the sweep counts a never-reported camera's silence from.</summary>
public sealed class NeverReportedMigrationTests
{
    [Fact]
    public async Task CamerasAlreadyActiveCountTheirSilenceFromTheirLastMoveToActive()
    {
        await using var database = await TestDatabase.CreateAsync("cameras", postgis: true);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);
        var scripts = MigrationScript.FromAssembly(typeof(Extensions.Extensions).Assembly);
        await runner.ApplyAsync([.. MigrationScript.Platform, .. scripts.Where(s => s.Version < 11)], default);

        var (reactivated, registeredActive, online, synthetic, installed) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var backFromMaintenance = created.AddDays(30);
        await using (var cmd = dataSource.CreateCommand("""
            INSERT INTO cameras (id, kind, status, region, location, health, synthetic, created_at, updated_at)
            SELECT id, 'fixed', status, 'KZ-75', ST_SetSRID(ST_MakePoint(76.9, 43.2), 4326)::geography, health, synthetic, @created, @updated
            FROM (VALUES (@reactivated, 'active', 'unknown', false), (@registered, 'active', 'unknown', false), (@online, 'active', 'online', false),
                         (@synthetic, 'active', 'unknown', true), (@installed, 'installed', 'unknown', false)) AS v(id, status, health, synthetic);
            INSERT INTO camera_status_history (camera_id, from_status, to_status, changed_at)
            VALUES (@reactivated, NULL, 'installed', @created), (@reactivated, 'installed', 'active', @created + interval '1 day'),
                   (@reactivated, 'active', 'maintenance', @created + interval '2 days'), (@reactivated, 'maintenance', 'active', @back);
            """))
        {
            cmd.Parameters.AddWithValue("reactivated", reactivated);
            cmd.Parameters.AddWithValue("registered", registeredActive);
            cmd.Parameters.AddWithValue("online", online);
            cmd.Parameters.AddWithValue("synthetic", synthetic);
            cmd.Parameters.AddWithValue("installed", installed);
            cmd.Parameters.AddWithValue("created", created);
            cmd.Parameters.AddWithValue("updated", created.AddDays(40));
            cmd.Parameters.AddWithValue("back", backFromMaintenance);
            await cmd.ExecuteNonQueryAsync();
        }

        await runner.ApplyAsync([.. MigrationScript.Platform, .. scripts], default);

        async Task<DateTimeOffset?> SinceAsync(Guid id)
        {
            await using var cmd = dataSource.CreateCommand("SELECT health_changed_at FROM cameras WHERE id = @id");
            cmd.Parameters.AddWithValue("id", id);
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            return reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
        }

        Assert.Equal(backFromMaintenance, await SinceAsync(reactivated));
        Assert.Equal(created.AddDays(40), await SinceAsync(registeredActive)); // no history: its last change
        Assert.Null(await SinceAsync(online));
        Assert.Null(await SinceAsync(synthetic));
        Assert.Null(await SinceAsync(installed));
    }
}
