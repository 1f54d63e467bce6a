using System.Diagnostics;

namespace PublicSafety.Bench.Grpc;

public sealed record Result(long Calls, long Errors, double CallsPerSecond, double P50Ms, double P99Ms, Stall Stall);

/// <summary>
/// Where a tail can come from besides the code: garbage collections (their count and total pause) and the time this process's
/// threads were ready to run but waiting for a core (the kernel's run-queue delay, summed over threads), per second measured.
/// </summary>
public sealed record Stall(int Gen0, int Gen1, int Gen2, double GcPauseMsPerSecond, double RunQueueWaitMsPerSecond)
{
    public override string ToString() =>
        $"GCs {Gen0}/{Gen1}/{Gen2} (gen0/1/2), GC pause {GcPauseMsPerSecond:N1} ms/s, waiting for a core {RunQueueWaitMsPerSecond:N0} ms/s";
}

/// <summary>
/// Closed loops: <c>concurrency</c> workers call back to back. Transports take turns in short rounds, so that load from
/// elsewhere on a shared machine falls on both alike; each keeps every call's latency and its own busy time.
/// </summary>
public sealed class Load(int concurrency)
{
    private readonly List<long> _latencies = [];
    private long _errors;
    private double _seconds;
    private readonly int[] _collections = new int[3];
    private TimeSpan _gcPause;
    private double _runQueueWaitMs;

    public async Task RoundAsync(Func<Task> call, TimeSpan duration, bool record = true)
    {
        var latencies = new List<long>[concurrency];
        var errors = 0L;
        var collections = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var gcPause = GC.GetTotalPauseDuration();
        var runQueueWait = RunQueueWaitMs();
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
            for (var g = 0; g < 3; g++)
            {
                _collections[g] += GC.CollectionCount(g) - collections[g];
            }

            _gcPause += GC.GetTotalPauseDuration() - gcPause;
            _runQueueWaitMs += RunQueueWaitMs() - runQueueWait;
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
        // A gen1 collection also counts as gen0, a gen2 as both: report each generation's own.
        var stall = new Stall(_collections[0] - _collections[1], _collections[1] - _collections[2], _collections[2],
            _gcPause.TotalMilliseconds / _seconds, _runQueueWaitMs / _seconds);
        return new Result(all.Length, _errors, all.Length / _seconds, Ms(0.50), Ms(0.99), stall);
    }

    /// <summary>Run-queue delay of every thread of this process so far (the second field of /proc/self/task/*/schedstat, ns).</summary>
    private static double RunQueueWaitMs()
    {
        double total = 0;
        foreach (var task in Directory.Exists("/proc/self/task") ? Directory.EnumerateDirectories("/proc/self/task") : [])
        {
            try
            {
                var fields = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                total += long.Parse(fields[1]) / 1e6;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // A thread that ended meanwhile; its wait is lost from both readings alike.
            }
        }

        return total;
    }
}
