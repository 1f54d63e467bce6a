using Microsoft.Extensions.Options;
using PublicSafety.Feedback.Extensions;

namespace PublicSafety.Feedback.Infrastructure;

/// <summary>Runs the <see cref="OverdueDetector"/> on the injected clock; safe on every replica (row locks).</summary>
public sealed partial class OverdueSweeper(OverdueDetector detector, TimeProvider time, IOptions<FeedbackOptions> options, ILogger<OverdueSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.OverdueSweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var overdue = await detector.SweepAsync(stoppingToken);
                if (overdue > 0)
                {
                    LogOverdue(overdue);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Before migrations finish or while PostgreSQL is away: the next tick tries again.
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "{Count} complaints became overdue")]
    private partial void LogOverdue(int count);

    [LoggerMessage(LogLevel.Warning, "Overdue complaint sweep failed")]
    private partial void LogFailed(Exception ex);
}

/// <summary>Runs the <see cref="QualityAlertDetector"/> on the injected clock; one replica evaluates per round (advisory lock).</summary>
public sealed partial class QualityAlertSweeper(
    QualityAlertDetector detector, TimeProvider time, IOptions<FeedbackOptions> options, ILogger<QualityAlertSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AlertSweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await detector.EvaluateAsync(stoppingToken) is > 0 and var raised)
                {
                    LogRaised(raised);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(ex);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "{Count} service-quality alerts raised")]
    private partial void LogRaised(int count);

    [LoggerMessage(LogLevel.Warning, "Service-quality evaluation failed")]
    private partial void LogFailed(Exception ex);
}
