using Microsoft.Extensions.Options;
using PublicSafety.Feedback.Extensions;
using PublicSafety.ServiceDefaults.Hosting;

namespace PublicSafety.Feedback.Infrastructure;

/// <summary>Runs the <see cref="OverdueDetector"/> on the injected clock; safe on every replica (row locks).</summary>
public sealed class OverdueSweeper(OverdueDetector detector, TimeProvider time, IOptions<FeedbackOptions> options, ILogger<OverdueSweeper> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.OverdueSweepInterval;

    public override Task<int> RunOnceAsync(CancellationToken ct) => detector.SweepAsync(ct);
}

/// <summary>Runs the <see cref="QualityAlertDetector"/> on the injected clock; one replica evaluates per round (advisory lock).</summary>
public sealed class QualityAlertSweeper(
    QualityAlertDetector detector, TimeProvider time, IOptions<FeedbackOptions> options, ILogger<QualityAlertSweeper> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.AlertSweepInterval;

    /// <summary>Alerts raised; none when another replica held the lock this round.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken ct) => await detector.EvaluateAsync(ct) ?? 0;
}
