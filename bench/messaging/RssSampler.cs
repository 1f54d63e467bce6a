namespace PublicSafety.Bench.Messaging;

/// <summary>
/// The resident set of named processes from start to end of the run, every 500 ms: one shared sampler per process, since
/// a process may not be known yet when sampling starts (the broker's pid comes from its pid file).
/// </summary>
public sealed class RssSampler : IDisposable
{
    private readonly List<(string Name, ResidentSetSampler Sampler, IDisposable Scope)> _processes = [];

    public RssSampler(Dictionary<string, Func<int?>> processes)
    {
        foreach (var (name, pid) in processes)
        {
            var sampler = new ResidentSetSampler(pid, TimeSpan.FromMilliseconds(500));
            _processes.Add((name, sampler, sampler.Sample()));
        }
    }

    public IEnumerable<(string Name, double PeakMb, double MeanMb)> Figures() =>
        _processes.Where(p => p.Sampler.Samples > 0)
            .Select(p => (p.Name, p.Sampler.PeakBytes / 1048576.0, p.Sampler.MeanBytes / 1048576.0));

    public void Dispose()
    {
        foreach (var (_, _, scope) in _processes)
        {
            scope.Dispose();
        }
    }
}
