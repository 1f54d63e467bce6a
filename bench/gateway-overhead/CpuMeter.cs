using System.Diagnostics;

namespace PublicSafety.Bench.GatewayOverhead;

/// <summary>
/// CPU time each process spends during measured periods, per request: unlike throughput on a shared machine, this hardly
/// depends on what else runs there, so it shows what the gateway itself costs.
/// </summary>
public sealed class CpuMeter(IReadOnlyList<BenchProcess> processes)
{
    private readonly Dictionary<string, TimeSpan> _spent = [];

    public IDisposable Measure()
    {
        var start = Snapshot();
        return new Scope(() =>
        {
            foreach (var (name, cpu) in Snapshot())
            {
                _spent[name] = _spent.GetValueOrDefault(name) + cpu - start[name];
            }
        });
    }

    /// <summary>Microseconds of CPU per request, by process ("load generator" is this bench).</summary>
    public IReadOnlyDictionary<string, double> PerRequestMicroseconds(long requests) =>
        _spent.ToDictionary(p => p.Key, p => requests == 0 ? double.NaN : p.Value.TotalMicroseconds / requests);

    private Dictionary<string, TimeSpan> Snapshot()
    {
        var snapshot = processes.ToDictionary(p => p.Name, p => p.CpuTime());
        snapshot["load generator"] = Process.GetCurrentProcess().TotalProcessorTime;
        return snapshot;
    }

    private sealed class Scope(Action end) : IDisposable
    {
        public void Dispose() => end();
    }
}
