namespace PublicSafety.Probation.Background;

/// <summary>
/// A background job run every <see cref="Interval"/> on the injected clock. Every replica runs it; each job claims its
/// rows with <c>FOR UPDATE SKIP LOCKED</c> and records what it did under a unique key, so replicas never do the work twice.
/// Tests call <see cref="RunOnceAsync"/> directly on a controlled clock.
/// </summary>
public abstract partial class PeriodicJob(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time => time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>One pass; returns how many items it handled.</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                var handled = await RunOnceAsync(stoppingToken);
                if (handled > 0)
                {
                    LogHandled(GetType().Name, handled);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be starting or not yet migrated: the next tick tries again.
                LogFailed(GetType().Name, ex);
            }
        }
    }

    protected virtual async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct) => await timer.WaitForNextTickAsync(ct);

    [LoggerMessage(LogLevel.Information, "{Job} handled {Count} items")]
    private partial void LogHandled(string job, int count);

    [LoggerMessage(LogLevel.Warning, "{Job} failed")]
    private partial void LogFailed(string job, Exception ex);
}
