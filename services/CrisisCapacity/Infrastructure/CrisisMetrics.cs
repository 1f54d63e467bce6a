using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;

namespace PublicSafety.CrisisCapacity.Infrastructure;

/// <summary>
/// The Meter "PublicSafety.CrisisCapacity": every bed operation by outcome (a <c>full</c> is a person turned away, the
/// figure the deficit analysis is about), and holds that lapsed without being converted.
/// </summary>
public sealed partial class CrisisMetrics : IDisposable
{
    public const string MeterName = "PublicSafety.CrisisCapacity";

    private readonly Meter _meter;
    private readonly Counter<long> _bookings;
    private readonly Counter<long> _holdsExpired;

    public CrisisMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _bookings = _meter.CreateCounter<long>("crisis.bookings", "{request}",
            "Bed operations by operation (reserve, convert, admit, release, discharge) and outcome (created, placed, full, repeated, ...)");
        _holdsExpired = _meter.CreateCounter<long>("crisis.holds.expired", "{reservation}", "Holds that lapsed unconverted and freed their beds");
    }

    /// <summary>Counts the outcome and hands it back, so an endpoint can record and answer in one expression.</summary>
    public TOutcome Booking<TOutcome>(string operation, TOutcome outcome) where TOutcome : notnull
    {
        _bookings.Add(1, new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("outcome", SnakeCase().Replace(outcome.GetType().Name, "_$1").ToLowerInvariant()));
        return outcome;
    }

    public void HoldsExpired(int count)
    {
        if (count > 0) _holdsExpired.Add(count);
    }

    public void Dispose() => _meter.Dispose();

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex SnakeCase();
}
