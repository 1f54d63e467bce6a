using Npgsql;

namespace PublicSafety.Cameras.Health;

/// <summary>The <c>camera_health_log</c>: changes of health, written in the transaction that makes them.</summary>
public static class HealthLog
{
    public static async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyCollection<Guid> cameras, string health, DateTimeOffset at,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO camera_health_log (camera_id, health, at) SELECT id, @health, @at FROM unnest(@ids) AS ids(id)", connection, tx);
        cmd.Parameters.AddWithValue("ids", cameras.ToArray());
        cmd.Parameters.AddWithValue("health", health);
        cmd.Parameters.AddWithValue("at", at);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
