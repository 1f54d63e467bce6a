using System.Diagnostics;
using System.Net;

namespace PublicSafety.Bench;

/// <summary>A service or the gateway, started from its Release build on a free loopback port; killed on dispose.</summary>
public sealed class BenchProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private BenchProcess(string name, Process process, int port, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    /// <summary>Waits until a command (not a server) exits; its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>
    /// Starts <paramref name="dll"/> (a built service, the gateway or a tool) with <paramref name="arguments"/> on
    /// <paramref name="port"/> (a free one if not given); its output goes to <c>&lt;logDirectory&gt;/&lt;name&gt;.log</c> and,
    /// line by line, to <paramref name="onOutput"/> if given.
    /// </summary>
    public static BenchProcess Start(string name, string dll, IDictionary<string, string> environment, string logDirectory,
        string[]? arguments = null, Action<string>? onOutput = null, int? port = null)
    {
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is not built: run the bench with 'dotnet run -c Release --project bench/<name>'.");
        }

        port ??= BenchMachine.FreePort();
        var info = new ProcessStartInfo("dotnet", [dll, .. arguments ?? []])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        // Only the development key is trusted in Development; the bench signs its tokens with a key of its own.
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // Both sides log the same way: warnings only, so console logging does not dominate either measurement.
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["OTEL_SERVICE_NAME"] = name;
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(Path.Combine(logDirectory, $"{name}.log")) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            Write(log, e.Data);
            if (e.Data is { } line)
            {
                onOutput?.Invoke(line);
            }
        };
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BenchProcess(name, process, port.Value, log);
    }

    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}; see its log.");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds} s; see its log.");
    }

    /// <summary>User plus system CPU time the process has used so far (fields 14 and 15 of /proc/&lt;pid&gt;/stat).</summary>
    public TimeSpan CpuTime()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    // USER_HZ: 100 on every Linux platform .NET runs on.
    private const int ClockTicksPerSecond = 100;

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream.CanWrite)
            {
                log.WriteLine(line);
            }
        }
    }
}
