using System.Diagnostics.Metrics;
using PublicSafety.RoadSafety.Ingestion;

namespace PublicSafety.RoadSafety;

/// <summary>The Meter "PublicSafety.RoadSafety": what operators watch on the ingestion path and the detectors.</summary>
public sealed class RoadSafetyMetrics : IDisposable
{
    public const string MeterName = "PublicSafety.RoadSafety";

    private readonly Meter _meter;
    private readonly Counter<long> _fixations;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _passages;
    private readonly Counter<long> _silent;
    private readonly Histogram<double> _hotspotDuration;

    public RoadSafetyMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _fixations = _meter.CreateCounter<long>("roadsafety.fixations", "{fixation}", "Fixation records posted, by outcome (accepted, duplicate, inadmissible, rejected)");
        _batchDuration = _meter.CreateHistogram<double>("roadsafety.ingestion.batch.duration", "s", "Time to decide and store one batch");
        _passages = _meter.CreateCounter<long>("roadsafety.section.passages", "{passage}", "Average-speed passages matched");
        _silent = _meter.CreateCounter<long>("roadsafety.devices.went_silent", "{device}", "Devices found silent");
        _hotspotDuration = _meter.CreateHistogram<double>("roadsafety.hotspots.duration", "s", "Time to compute accident-concentration sites");
    }

    public void BatchIngested(FixationBatchResult result, TimeSpan elapsed)
    {
        _batchDuration.Record(elapsed.TotalSeconds);
        Add(FixationStatus.Accepted, result.Accepted);
        Add(FixationStatus.Duplicate, result.Duplicates);
        Add(FixationStatus.Inadmissible, result.Inadmissible);
        Add(FixationStatus.Rejected, result.Rejected);
    }

    public void PassagesMatched(int count)
    {
        if (count > 0) _passages.Add(count);
    }

    public void DevicesWentSilent(int count) => _silent.Add(count);

    public void HotspotsComputed(TimeSpan elapsed) => _hotspotDuration.Record(elapsed.TotalSeconds);

    private void Add(string outcome, int count)
    {
        if (count > 0) _fixations.Add(count, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void Dispose() => _meter.Dispose();
}
