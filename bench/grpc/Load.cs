using System.Diagnostics;

namespace PublicSafety.Bench.Grpc;

public sealed record Result(long Calls, long Errors, double CallsPerSecond, double P50Ms, double P99Ms);

/// <summary>
/// Closed loops: <c>concurrency</c> workers call back to back. Transports take turns in short rounds, so that load from
/// elsewhere on a shared machine falls on both alike; each keeps every call's latency and its own busy time.
/// </summary>
public sealed class Load(int concurrency)
{
    private readonly List<long> _latencies = [];
    private long _errors;
    private double _seconds;

    public async Task RoundAsync(Func<Task> call, TimeSpan duration, bool record = true)
    {
        var latencies = new List<long>[concurrency];
        var errors = 0L;
        var watch = Stopwatch.StartNew();
        var end = duration.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(10_000);
            while (watch.ElapsedTicks < end)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await call();
                    mine.Add(Stopwatch.GetTimestamp() - start);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })));
        if (record)
        {
            _seconds += watch.Elapsed.TotalSeconds;
            _errors += errors;
            foreach (var l in latencies)
            {
                _latencies.AddRange(l);
            }
        }
    }

    public Result Result()
    {
        var all = _latencies.Order().ToArray();
        double Ms(double q) => all.Length == 0 ? double.NaN : all[Percentile.Index(all.Length, q)] * 1000.0 / Stopwatch.Frequency;
        return new Result(all.Length, _errors, all.Length / _seconds, Ms(0.50), Ms(0.99));
    }
}
