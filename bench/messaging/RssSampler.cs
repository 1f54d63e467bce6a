namespace PublicSafety.Bench.Messaging;

/// <summary>Samples the resident set (VmRSS) of named processes while a phase runs: peak and mean per process.</summary>
public sealed class RssSampler : IAsyncDisposable
{
    private readonly Dictionary<string, Func<int?>> _processes;
    private readonly Dictionary<string, List<long>> _samples = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public RssSampler(Dictionary<string, Func<int?>> processes)
    {
        _processes = processes;
        foreach (var name in processes.Keys)
        {
            _samples[name] = [];
        }

        _loop = Task.Run(SampleAsync);
    }

    public IEnumerable<(string Name, double PeakMb, double MeanMb)> Figures() =>
        _samples.Where(s => s.Value.Count > 0)
            .Select(s => (s.Key, s.Value.Max() / 1024.0, s.Value.Average() / 1024.0));

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        do
        {
            foreach (var (name, pid) in _processes)
            {
                if (pid() is { } id && ReadRssKb(id) is { } kb)
                {
                    _samples[name].Add(kb);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(_stop.Token).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result));
    }

    private static long? ReadRssKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
