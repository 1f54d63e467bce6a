using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace PublicSafety.Bench.GatewayOverhead;

/// <summary>One measured period: every latency (in Stopwatch ticks), the failures and how long it lasted.</summary>
public sealed record LoadSample(long[] Latencies, long Errors, TimeSpan Measured)
{
    public double RequestsPerSecond => Latencies.Length / Measured.TotalSeconds;
}

public sealed record LoadResult(string Target, int Connections, TimeSpan Measured, long Requests, long Errors, double P50Ms, double P99Ms)
{
    public double RequestsPerSecond => Requests / Measured.TotalSeconds;

    /// <summary>Several periods of one target taken as one: their requests over their summed time, percentiles of all latencies.</summary>
    public static LoadResult Of(string target, int connections, IReadOnlyList<LoadSample> samples)
    {
        var all = samples.SelectMany(s => s.Latencies).ToArray();
        Array.Sort(all);
        var measured = TimeSpan.FromTicks(samples.Sum(s => s.Measured.Ticks));
        return new LoadResult(target, connections, measured, all.Length, samples.Sum(s => s.Errors), PercentileMs(all, 0.50), PercentileMs(all, 0.99));
    }

    // Latencies are Stopwatch ticks: pick the nearest-rank sample, then convert.
    private static double PercentileMs(long[] sorted, double p) => sorted.Length == 0
        ? double.NaN
        : Stopwatch.GetElapsedTime(0, sorted[Percentile.Index(sorted.Length, p)]).TotalMilliseconds;
}

/// <summary>
/// A closed-loop load: a fixed number of connections, each sending the next request as soon as the previous answer is read,
/// for a warm-up that is discarded and then a measured period. Bounded in time (the periods, plus a per-request timeout)
/// and in memory (a fixed number of latency samples per connection).
/// </summary>
public static class LoadRun
{
    private const int MaxSamplesPerConnection = 250_000;

    /// <param name="observe">Opened when the measured period starts and disposed when it ends (CPU and memory sampling).</param>
    public static async Task<LoadSample> RunAsync(Uri url, string token, int connections, TimeSpan warmup, TimeSpan duration, Func<IDisposable>? observe = null)
    {
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var authorization = new AuthenticationHeaderValue("Bearer", token);

        var measuring = 0;
        var stopping = 0;
        var workers = new Task<(long[] Samples, int Count, long Errors)>[connections];
        for (var i = 0; i < connections; i++)
        {
            workers[i] = Task.Run(async () =>
            {
                var samples = new long[Math.Min(MaxSamplesPerConnection, 4096)];
                var count = 0;
                long errors = 0;
                while (Volatile.Read(ref stopping) == 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    var ok = false;
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Get, url);
                        request.Headers.Authorization = authorization;
                        using var response = await client.SendAsync(request);
                        await response.Content.CopyToAsync(Stream.Null);
                        ok = response.StatusCode == HttpStatusCode.OK;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                    }

                    var elapsed = Stopwatch.GetTimestamp() - started;
                    if (Volatile.Read(ref measuring) == 1 && Volatile.Read(ref stopping) == 0)
                    {
                        if (!ok)
                        {
                            errors++;
                        }
                        else if (count < MaxSamplesPerConnection)
                        {
                            if (count == samples.Length)
                            {
                                Array.Resize(ref samples, Math.Min(samples.Length * 2, MaxSamplesPerConnection));
                            }

                            samples[count++] = elapsed;
                        }
                    }
                }

                return (samples, count, errors);
            });
        }

        await Task.Delay(warmup);
        var observation = observe?.Invoke();
        Volatile.Write(ref measuring, 1);
        var measured = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref stopping, 1);
        measured.Stop();
        observation?.Dispose();
        var results = await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        var all = new long[results.Sum(r => (long)r.Count)];
        var offset = 0;
        foreach (var (samples, count, _) in results)
        {
            Array.Copy(samples, 0, all, offset, count);
            offset += count;
        }

        return new LoadSample(all, results.Sum(r => r.Errors), measured.Elapsed);
    }
}
