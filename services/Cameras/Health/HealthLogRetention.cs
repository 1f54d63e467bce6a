using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.ServiceDefaults.Hosting;

namespace PublicSafety.Cameras.Health;

/// <summary><c>Cameras:HealthLogRetention</c>: how long the health log is kept and how the retention job works through it.</summary>
public sealed class HealthLogRetentionOptions
{
    public const string Section = "Cameras:HealthLogRetention";

    /// <summary>Uptime stays exact for any period that starts within this much of now.</summary>
    public TimeSpan Keep { get; set; } = TimeSpan.FromDays(730);

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per transaction, so that a first run over years of log does not hold one long transaction.</summary>
    public int BatchSize { get; set; } = 10_000;
}

/// <summary>
/// Deletes health log rows older than <see cref="HealthLogRetentionOptions.Keep"/>, except each camera's last row before the cut:
/// that row is the camera's state at the cut, where uptime's timeline for a period inside the window starts, so uptime there is
/// unchanged. Every replica may run it: a row is deleted only when a later row of its camera before the cut exists, and the
/// latest such row never qualifies, whichever replica gets there first.
/// </summary>
public sealed class HealthLogRetention(NpgsqlDataSource dataSource, TimeProvider time, IOptions<HealthLogRetentionOptions> options,
    ILogger<HealthLogRetention> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.Interval;

    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        // One cut for the whole pass: a cut moving between batches would keep a different "last row" in each.
        var cut = Time.GetUtcNow() - options.Value.Keep;
        var total = 0;
        while (true)
        {
            await using var cmd = dataSource.CreateCommand("""
                DELETE FROM camera_health_log WHERE id IN (
                    SELECT l.id FROM camera_health_log l
                    WHERE l.at < @cut
                      AND EXISTS (SELECT 1 FROM camera_health_log n
                                  WHERE n.camera_id = l.camera_id AND n.at < @cut AND (n.at, n.id) > (l.at, l.id))
                    LIMIT @batch)
                """);
            cmd.CommandTimeout = 600;
            cmd.Parameters.AddWithValue("cut", cut);
            cmd.Parameters.AddWithValue("batch", options.Value.BatchSize);
            var deleted = await cmd.ExecuteNonQueryAsync(ct);
            total += deleted;
            if (deleted < options.Value.BatchSize)
            {
                return total;
            }
        }
    }
}
