using Microsoft.Extensions.Options;
using PublicSafety.ServiceDefaults.Hosting;

namespace PublicSafety.Cameras.Health;

/// <summary>Runs the <see cref="OfflineDetector"/> every <see cref="HealthOptions.SweepInterval"/> on the injected clock.</summary>
public sealed class OfflineSweeper(OfflineDetector detector, TimeProvider time, IOptions<HealthOptions> options, CamerasMetrics metrics,
    ILogger<OfflineSweeper> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var offline = await detector.SweepAsync(ct);
        metrics.WentOffline(offline);
        return offline;
    }
}
