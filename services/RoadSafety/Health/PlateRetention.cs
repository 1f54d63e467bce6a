using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.RoadSafety.Extensions;
using PublicSafety.ServiceDefaults.Hosting;

namespace PublicSafety.RoadSafety.Health;

/// <summary>
/// Erases the plate and evidence references of fixations received more than <see cref="RoadSafetyOptions.PlateRetention"/>
/// ago that are part of no violation: an ordinary passing car is kept as a count, not as a person's movements. The
/// fixation row stays, so its (device, sequence) still deduplicates; records that old are rejected as too old anyway.
/// Batches skip rows other transactions hold, so replicas can run it at once.
/// </summary>
public sealed class PlateEraser(NpgsqlDataSource db, TimeProvider time, IOptions<RoadSafetyOptions> options)
{
    public const int BatchSize = 5000;

    private const string Erase = """
        UPDATE fixations f SET plate = NULL, evidence = '[]', erased_at = @now
        FROM (SELECT id FROM fixations x
              WHERE x.plate IS NOT NULL AND x.received_at < @cutoff
                AND NOT EXISTS (SELECT 1 FROM violations v WHERE v.fixation_id = x.id)
                AND NOT EXISTS (SELECT 1 FROM violations v WHERE v.entry_fixation_id = x.id)
              LIMIT @batch FOR NO KEY UPDATE SKIP LOCKED) s
        WHERE f.id = s.id
        """;

    public async Task<int> EraseAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = time.GetUtcNow();
            await using var cmd = db.CreateCommand(Erase);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("cutoff", now - options.Value.PlateRetention);
            cmd.Parameters.AddWithValue("batch", BatchSize);
            var erased = await cmd.ExecuteNonQueryAsync(ct);
            total += erased;
            if (erased < BatchSize) return total;
        }
    }
}

/// <summary>Runs the <see cref="PlateEraser"/> every <see cref="RoadSafetyOptions.PlateRetentionInterval"/> on the injected clock.</summary>
public sealed class PlateRetentionService(PlateEraser eraser, TimeProvider time, IOptions<RoadSafetyOptions> options, ILogger<PlateRetentionService> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.PlateRetentionInterval;

    public override Task<int> RunOnceAsync(CancellationToken ct) => eraser.EraseAsync(ct);
}
