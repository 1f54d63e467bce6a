namespace PublicSafety.Probation.Infrastructure;

/// <summary>Wakes this replica's camera enricher after a commit that raised alerts; other replicas find them by polling.</summary>
public sealed class CameraEnrichmentSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers every alert committed before it runs.
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
