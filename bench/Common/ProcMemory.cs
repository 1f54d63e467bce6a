namespace PublicSafety.Bench;

/// <summary>
/// A process's memory as the Linux kernel counts it, from <c>/proc/&lt;pid&gt;/status</c>: the resident set (VmRSS) is
/// what the targets mean by "working set", and its high-water mark (VmHWM) catches a peak that sampling missed.
/// </summary>
public static class ProcMemory
{
    /// <summary>VmRSS in bytes; null when the process has exited or there is no /proc (not Linux).</summary>
    public static long? ResidentBytes(int pid) => Read(pid, "VmRSS:");

    /// <summary>VmHWM, the peak resident set since the process started, in bytes; null as for <see cref="ResidentBytes"/>.</summary>
    public static long? PeakResidentBytes(int pid) => Read(pid, "VmHWM:");

    private static long? Read(int pid, string key)
    {
        try
        {
            // The line reads e.g. "VmRSS:	  204800 kB"; the kernel always reports kB.
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.AsSpan(key.Length).Trim().TrimEnd("kB").Trim()) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
