using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;

namespace PublicSafety.Testing;

/// <summary>
/// One of the platform's real executables (a service or the gateway) running as a child process on a loopback port,
/// configured only through environment variables, as the local stack and Kubernetes run it.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly Dictionary<string, string> ProjectFolders = new()
    {
        ["Feedback"] = "services/Feedback",
        ["CrisisCapacity"] = "services/CrisisCapacity",
        ["Cameras"] = "services/Cameras",
        ["RoadSafety"] = "services/RoadSafety",
        ["Probation"] = "services/Probation",
        ["Gateway"] = "gateway",
        ["Messaging.TestHost"] = "tests/Messaging.TestHost",
    };

    private static readonly Dictionary<string, string> DatabaseNames = new()
    {
        ["Feedback"] = "feedbackdb",
        ["CrisisCapacity"] = "crisisdb",
        ["Cameras"] = "camerasdb",
        ["RoadSafety"] = "roadsafetydb",
        ["Probation"] = "probationdb",
    };

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _recent = new();
    private readonly StreamWriter _log;
    private int _disposed;

    private ServiceProcess(string name, Process process, int port, string logFile, StreamWriter log)
    {
        Name = name;
        _process = process;
        Port = port;
        LogFile = logFile;
        _log = log;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public string LogFile { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Whether the process exits within <paramref name="timeout"/>; once true, everything it wrote is in
    /// <see cref="RecentOutput"/> (the exit is seen before the last lines are read, so polling <see cref="HasExited"/>
    /// alone can find them missing).
    /// </summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            // Waits for the end of the redirected output too, as it is read asynchronously.
            await _process.WaitForExitAsync(cancellation.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts <paramref name="project"/> (Feedback, CrisisCapacity, Cameras, RoadSafety, Probation or Gateway) in Development,
    /// trusting <see cref="TestTokens"/>. Entries of <paramref name="environment"/> override the defaults; a null value removes one.
    /// </summary>
    public static ServiceProcess Start(string project, IDictionary<string, string?> environment, int? port = null)
    {
        var folder = ProjectFolders.TryGetValue(project, out var f) ? f : throw new ArgumentException($"Unknown project {project}", nameof(project));
        var binDir = Path.Combine(TestEnvironment.RepositoryRoot, folder, "bin", TestEnvironment.Configuration, "net10.0");
        var dll = Path.Combine(binDir, $"PublicSafety.{project}.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is not built; run ./build.sh test (it builds the solution first).");
        }

        var listenPort = port ?? FreePort.Next();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = binDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{listenPort}";
        info.Environment["Keycloak__DevelopmentSigningKeyFile"] = TestTokens.KeyFile;
        info.Environment["OTEL_SERVICE_NAME"] = project.ToLowerInvariant();
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var logFile = Path.Combine(TestEnvironment.ResultsDirectory, $"{project}-{listenPort}-{DateTime.UtcNow:HHmmssfff}.log");
        var log = new StreamWriter(logFile) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new ServiceProcess(project, process, listenPort, logFile, log);
        process.OutputDataReceived += (_, e) => started.Record(e.Data);
        process.ErrorDataReceived += (_, e) => started.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>
    /// Runs a command of <paramref name="project"/>'s executable (such as <c>seed</c>) to its end, configured like the service on
    /// <paramref name="databaseConnectionString"/>; returns its exit code and what it printed.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(string project, string databaseConnectionString, params string[] arguments)
    {
        var folder = ProjectFolders.TryGetValue(project, out var f) ? f : throw new ArgumentException($"Unknown project {project}", nameof(project));
        var binDir = Path.Combine(TestEnvironment.RepositoryRoot, folder, "bin", TestEnvironment.Configuration, "net10.0");
        var info = new ProcessStartInfo("dotnet", [$"PublicSafety.{project}.dll", .. arguments])
        {
            WorkingDirectory = binDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in EnvironmentFor(project, databaseConnectionString))
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout).Trim() + (await stderr).Trim());
    }

    /// <summary>The environment a service needs: its own database and the shared test broker.</summary>
    public static Dictionary<string, string?> EnvironmentFor(string project, string databaseConnectionString) => new()
    {
        [$"ConnectionStrings__{DatabaseNames[project]}"] = databaseConnectionString,
        ["ConnectionStrings__messaging"] = TestEnvironment.RabbitUri.ToString(),
    };

    /// <summary>Starts a service on a fresh database of its own and waits until it is ready.</summary>
    public static async Task<(ServiceProcess Service, TestDatabase Database)> StartWithDatabaseAsync(
        string project, IDictionary<string, string?>? extra = null)
    {
        var database = await TestDatabase.CreateAsync(project.ToLowerInvariant(), postgis: project != "Feedback");
        var environment = EnvironmentFor(project, database.ConnectionString);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        try
        {
            return (await StartReadyAsync(project, environment), database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the process and waits until it reports ready.</summary>
    public static async Task<ServiceProcess> StartReadyAsync(string project, IDictionary<string, string?> environment, TimeSpan? timeout = null)
    {
        var process = Start(project, environment);
        try
        {
            await process.WaitForHealthAsync("/health/ready", timeout ?? TimeSpan.FromSeconds(60));
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    public HttpClient CreateClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Waits until <paramref name="path"/> answers 200, failing with the process's recent output.</summary>
    public async Task WaitForHealthAsync(string path, TimeSpan timeout)
    {
        using var client = CreateClient();
        client.Timeout = TimeSpan.FromSeconds(5);
        var healthy = await Eventually.HoldsAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}:\n{RecentOutput()}");
            }

            try
            {
                using var response = await client.GetAsync(path);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, timeout);
        if (!healthy)
        {
            throw new TimeoutException($"{Name} did not answer 200 on {path} within {timeout}:\n{RecentOutput()}");
        }
    }

    /// <summary>The last lines the process wrote; the whole output is in <see cref="LogFile"/>.</summary>
    public string RecentOutput() => string.Join('\n', _recent);

    /// <summary>Kills the process at once, as a crash or an OOM kill would: no graceful shutdown.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>Idempotent: a test may stop a process mid-test (a service going down) that its fixture disposes again.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        Kill();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        _recent.Enqueue(line);
        while (_recent.Count > 60 && _recent.TryDequeue(out _))
        {
        }

        lock (_log)
        {
            if (_log.BaseStream.CanWrite)
            {
                _log.WriteLine(line);
            }
        }
    }
}
