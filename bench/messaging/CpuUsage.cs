namespace PublicSafety.Bench.Messaging;

/// <summary>
/// CPU time (user + system, from <c>/proc/&lt;pid&gt;/stat</c>) that processes spend during a phase: on a shared 2-core
/// machine, CPU milliseconds per event say more about capacity than a rate measured next to other people's work.
/// </summary>
public sealed class CpuUsage(Dictionary<string, Func<IEnumerable<int>>> processes)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux
    private Dictionary<string, double> _start = new();

    public void Start() => _start = Sample();

    /// <returns>CPU seconds per process group since <see cref="Start"/>.</returns>
    public Dictionary<string, double> Stop()
    {
        var end = Sample();
        return end.ToDictionary(e => e.Key, e => e.Value - _start.GetValueOrDefault(e.Key));
    }

    private Dictionary<string, double> Sample() =>
        processes.ToDictionary(p => p.Key, p => p.Value().Sum(CpuSeconds));

    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond; // utime, stime
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>The PostgreSQL server's processes: the postmaster of <paramref name="dataDirectory"/> and its children.</summary>
    public static IEnumerable<int> PostgresProcesses(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), out var postmaster))
        {
            return [];
        }

        return Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && (pid == postmaster || ParentOf(pid) == postmaster)).ToArray();
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (Exception ex) when (ex is IOException or FormatException)
        {
            return 0;
        }
    }
}
