namespace PublicSafety.Bench.GatewayOverhead;

/// <summary>Samples a process's resident set every 250 ms while a <see cref="Sample"/> scope is open.</summary>
public sealed class WorkingSetSampler(BenchProcess process)
{
    private long _total;
    private long _count;

    public long PeakBytes { get; private set; }

    public long MeanBytes => _count == 0 ? 0 : _total / _count;

    public IDisposable Sample()
    {
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (process.ResidentBytes() is { } rss)
                {
                    PeakBytes = Math.Max(PeakBytes, rss);
                    _total += rss;
                    _count++;
                }

                try
                {
                    await Task.Delay(250, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        return new Scope(stop, loop);
    }

    private sealed class Scope(CancellationTokenSource stop, Task loop) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            loop.Wait(TimeSpan.FromSeconds(5));
            stop.Dispose();
        }
    }
}
