using System.Diagnostics.Metrics;

namespace PublicSafety.Cameras.Health;

/// <summary>The Meter "PublicSafety.Cameras": what operators watch on the heartbeat path and the offline detector.</summary>
public sealed class CamerasMetrics : IDisposable
{
    public const string MeterName = "PublicSafety.Cameras";

    private readonly Meter _meter;
    private readonly Counter<long> _heartbeats;
    private readonly Histogram<double> _batchDuration;
    private readonly Counter<long> _wentOffline;
    private readonly Counter<long> _backOnline;

    public CamerasMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _heartbeats = _meter.CreateCounter<long>("cameras.heartbeats", "{heartbeat}",
            "Heartbeats received, by outcome (applied, unknown: unregistered, out of scope or another vendor's) and caller (manager, vendor)");
        _batchDuration = _meter.CreateHistogram<double>("cameras.heartbeats.batch.duration", "s", "Time to apply one heartbeat batch");
        _wentOffline = _meter.CreateCounter<long>("cameras.went_offline", "{camera}", "Cameras marked offline by the sweeper");
        _backOnline = _meter.CreateCounter<long>("cameras.came_back_online", "{camera}", "Offline cameras that reported again");
    }

    public void BatchApplied(int applied, int unknown, bool vendor, int backOnline, TimeSpan elapsed)
    {
        var caller = new KeyValuePair<string, object?>("caller", vendor ? "vendor" : "manager");
        _batchDuration.Record(elapsed.TotalSeconds, caller);
        if (applied > 0) _heartbeats.Add(applied, new KeyValuePair<string, object?>("outcome", "applied"), caller);
        if (unknown > 0) _heartbeats.Add(unknown, new KeyValuePair<string, object?>("outcome", "unknown"), caller);
        if (backOnline > 0) _backOnline.Add(backOnline);
    }

    public void WentOffline(int count)
    {
        if (count > 0) _wentOffline.Add(count);
    }

    public void Dispose() => _meter.Dispose();
}
