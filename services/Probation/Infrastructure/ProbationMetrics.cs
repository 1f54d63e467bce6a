using System.Diagnostics.Metrics;

namespace PublicSafety.Probation.Infrastructure;

/// <summary>The <c>PublicSafety.Probation</c> meter: what operators watch on the monitoring pipeline.</summary>
public sealed class ProbationMetrics
{
    public const string MeterName = "PublicSafety.Probation";

    public ProbationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        Positions = meter.CreateCounter<long>("probation.positions.ingested", "{position}", "New positions stored and evaluated");
        Duplicates = meter.CreateCounter<long>("probation.positions.duplicates", "{position}", "Positions already received (same device and fix time)");
        LateReplays = meter.CreateCounter<long>("probation.evaluation.late_replays", "{person}", "Persons re-evaluated from an earlier fix because a batch arrived late");
        UnknownDevices = meter.CreateCounter<long>("probation.telemetry.unknown_devices", "{device}", "Reports for devices the vendor has no assigned device for");
        Violations = meter.CreateCounter<long>("probation.violations.detected", "{violation}", "Violations recorded, by kind; suppressed ones tagged");
        Escalations = meter.CreateCounter<long>("probation.alerts.escalated", "{alert}", "Alerts escalated to a duty unit");
        CamerasUnavailable = meter.CreateCounter<long>("probation.alerts.cameras_unavailable", "{alert}", "Alerts that went out without cameras because Cameras did not answer");
        BatchDuration = meter.CreateHistogram<double>("probation.telemetry.batch.duration", "s", "Time to store and evaluate one telemetry batch");
    }

    public Counter<long> Positions { get; }
    public Counter<long> Duplicates { get; }
    public Counter<long> LateReplays { get; }
    public Counter<long> UnknownDevices { get; }
    public Counter<long> Violations { get; }
    public Counter<long> Escalations { get; }
    public Counter<long> CamerasUnavailable { get; }
    public Histogram<double> BatchDuration { get; }
}
