namespace PublicSafety.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// Tells this process's dispatcher that events were written. The writer raises it before its transaction commits, so the
/// dispatcher treats it as "rows are about to appear": it polls at a short interval for a moment after each signal.
/// </summary>
internal sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private long _lastTicks;

    /// <summary>When the last signal was raised (<see cref="Environment.TickCount64"/>).</summary>
    public long LastRaised => Interlocked.Read(ref _lastTicks);

    public void Raise()
    {
        Interlocked.Exchange(ref _lastTicks, Environment.TickCount64);
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Raised concurrently: one pending wake-up is enough.
            }
        }
    }

    /// <returns>True if signalled, false after <paramref name="timeout"/>.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
