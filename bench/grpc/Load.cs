using System.Diagnostics;

namespace PublicSafety.Bench.Grpc;

public sealed record Result(long Calls, long Errors, double CallsPerSecond, double P50Ms, double P99Ms);

/// <summary>A closed loop: <c>concurrency</c> workers call back to back for a fixed time; every call's latency is kept.</summary>
public static class Load
{
    public static async Task<Result> RunAsync(Func<Task> call, int concurrency, TimeSpan duration)
    {
        var latencies = new List<long>[concurrency];
        var errors = 0L;
        var watch = Stopwatch.StartNew();
        var end = duration.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<long>(100_000);
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
        var elapsed = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Ms(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1000.0 / Stopwatch.Frequency;
        return new Result(all.Length, errors, all.Length / elapsed, Ms(0.50), Ms(0.99));
    }
}
