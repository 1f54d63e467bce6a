namespace PublicSafety.Bench;

/// <summary>
/// Samples one process's resident set while a <see cref="Sample"/> scope is open (every 250 ms unless told otherwise) and
/// keeps the peak and the mean over all scopes, so that a bench can measure only its loaded phases. A reading of
/// /proc at the end alone would miss the peak; VmHWM alone would include start-up and seeding.
/// </summary>
public sealed class ResidentSetSampler
{
    private readonly Func<int?> _pid;
    private readonly TimeSpan _interval;
    private readonly Lock _lock = new();
    private long _peak;
    private long _total;
    private long _count;

    public ResidentSetSampler(int pid, TimeSpan? interval = null)
        : this(() => pid, interval)
    {
    }

    /// <param name="pid">Asked at every sample: a process that is not known yet, or has gone, answers null and is skipped.</param>
    public ResidentSetSampler(Func<int?> pid, TimeSpan? interval = null)
    {
        _pid = pid;
        _interval = interval ?? TimeSpan.FromMilliseconds(250);
    }

    public long PeakBytes
    {
        get { lock (_lock) return _peak; }
    }

    /// <summary>0 before the first sample.</summary>
    public long MeanBytes
    {
        get { lock (_lock) return _count == 0 ? 0 : _total / _count; }
    }

    public long Samples
    {
        get { lock (_lock) return _count; }
    }

    /// <summary>Samples at once and then every interval until the returned scope is disposed.</summary>
    public IDisposable Sample()
    {
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (_pid() is { } pid && ProcMemory.ResidentBytes(pid) is { } bytes)
                {
                    lock (_lock)
                    {
                        _peak = Math.Max(_peak, bytes);
                        _total += bytes;
                        _count++;
                    }
                }

                try
                {
                    await Task.Delay(_interval, stop.Token);
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
            // Reading /proc does not block, so the loop ends within one sample; the bound only guards a stuck file system.
            loop.Wait(TimeSpan.FromSeconds(5));
            stop.Dispose();
        }
    }
}
