using Microsoft.Extensions.Options;

namespace PublicSafety.Cameras.Health;

/// <summary>Runs the <see cref="OfflineDetector"/> every <see cref="HealthOptions.SweepInterval"/> on the injected clock.</summary>
public sealed partial class OfflineSweeper(OfflineDetector detector, TimeProvider time, IOptions<HealthOptions> options, CamerasMetrics metrics,
    ILogger<OfflineSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var offline = await detector.SweepAsync(stoppingToken);
                metrics.WentOffline(offline);
                if (offline > 0)
                {
                    LogWentOffline(offline);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be starting or the schema not yet migrated: try again on the next tick.
                LogSweepFailed(ex);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "{Count} cameras went offline")]
    private partial void LogWentOffline(int count);

    [LoggerMessage(LogLevel.Warning, "Offline sweep failed")]
    private partial void LogSweepFailed(Exception ex);
}
