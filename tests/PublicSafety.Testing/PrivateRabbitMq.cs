using System.Diagnostics;
using System.Net.Sockets;

namespace PublicSafety.Testing;

/// <summary>
/// A throwaway RabbitMQ node of the test's own (own node name, ports, data and cookie), for tests that stop and start the
/// broker under running services: stopping the shared one would break every other test. Debian's RabbitMQ runs as the
/// <c>rabbitmq</c> user, so under root the node is started through <c>runuser</c> on a directory that user owns.
/// Starting takes ~15 s; quorum queues are available (3.10). The node registers with an <c>epmd</c> of its own (its own
/// port), which disposing stops: nodes leave their epmd running, and the host's default one is not ours to stop.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    public const string User = "publicsafety";
    public const string Password = "publicsafety";
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string CtlScript = "/usr/lib/rabbitmq/bin/rabbitmqctl";

    private readonly string _dir;
    private readonly Lock _logLock = new();
    private Process? _server;

    private PrivateRabbitMq(string dir, int port, int distributionPort, int epmdPort, string nodeName)
    {
        _dir = dir;
        Port = port;
        DistributionPort = distributionPort;
        EpmdPort = epmdPort;
        NodeName = nodeName;
    }

    public int Port { get; }

    public int DistributionPort { get; }

    public int EpmdPort { get; }

    public string NodeName { get; }

    public Uri Uri => new($"amqp://{User}:{Password}@127.0.0.1:{Port}/");

    /// <summary>The Erlang VM's process id while the node runs (for memory figures), else null.</summary>
    public int? ServerProcessId =>
        File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), out var pid) && Directory.Exists($"/proc/{pid}") ? pid : null;

    private string PidFile => Path.Combine(_dir, "rabbit.pid");

    public static async Task<PrivateRabbitMq> StartAsync(TimeSpan? timeout = null)
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var dir = Path.Combine(Path.GetTempPath(), $"publicsafety-rabbit-{id}");
        Directory.CreateDirectory(Path.Combine(dir, "mnesia"));
        Directory.CreateDirectory(Path.Combine(dir, "log"));
        var broker = new PrivateRabbitMq(dir, FreePort.Next(), FreePort.Next(), FreePort.Next(), $"ps-test-{id}@localhost");
        await File.WriteAllTextAsync(Path.Combine(dir, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{broker.Port}
            default_user = {User}
            default_pass = {Password}
            loopback_users = none
            log.console = false
            log.file.level = warning
            """);
        await File.WriteAllTextAsync(Path.Combine(dir, "enabled_plugins"), "[].");
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", ["-R", "rabbitmq:rabbitmq", dir]);
        }

        try
        {
            await broker.StartServerAsync(timeout);
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }

        return broker;
    }

    /// <summary>Starts the node (again, on the same data and ports) and waits until it accepts AMQP connections.</summary>
    public async Task StartServerAsync(TimeSpan? timeout = null)
    {
        var info = Command(ServerScript);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        var server = Process.Start(info)!;
        var log = Path.Combine(_dir, "server.out");
        _ = DrainAsync(server.StandardOutput, log, _logLock);
        _ = DrainAsync(server.StandardError, log, _logLock);
        _server = server;

        var limit = timeout ?? TimeSpan.FromSeconds(90);
        var ready = await Eventually.HoldsAsync(async () =>
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"RabbitMQ node {NodeName} exited with {server.ExitCode}: {await TailAsync(log)}");
            }

            return await AcceptsConnectionsAsync();
        }, limit, TimeSpan.FromMilliseconds(250));
        if (!ready)
        {
            throw new TimeoutException($"RabbitMQ node {NodeName} did not listen on {Port} within {limit}: {await TailAsync(log)}");
        }
    }

    /// <summary>A clean shutdown (as an operator or Kubernetes stops the broker): connections are closed, queues kept on disk.</summary>
    public async Task StopServerAsync()
    {
        var pid = ServerProcessId;
        if (pid is null)
        {
            return;
        }

        await RunAsync("kill", ["-TERM", pid.Value.ToString()]);
        await WaitForExitAsync(pid.Value, TimeSpan.FromSeconds(60));
        if (_server is not null)
        {
            await _server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Runs <c>rabbitmqctl</c> against this node, e.g. <c>list_queues name type messages</c>; returns its output.</summary>
    public async Task<string> CtlAsync(params string[] args)
    {
        var info = Command(CtlScript, ["-n", NodeName, "-q", .. args]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        if (ServerProcessId is { } pid)
        {
            await RunAsync("kill", ["-KILL", pid.ToString()]);
            await WaitForExitAsync(pid, TimeSpan.FromSeconds(30));
        }

        _server?.Dispose();
        try
        {
            // epmd refuses to stop while a node is registered; the node is gone by now.
            await RunAsync("epmd", ["-port", EpmdPort.ToString(), "-kill"]);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            // Never started (the node failed early) or already gone: nothing to stop.
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file the node was still writing; the temp folder is cleaned eventually.
        }
    }

    private ProcessStartInfo Command(string script, params string[] args)
    {
        string[] environment =
        [
            $"HOME={_dir}",
            $"RABBITMQ_NODENAME={NodeName}",
            $"RABBITMQ_NODE_PORT={Port}",
            $"RABBITMQ_DIST_PORT={DistributionPort}",
            $"ERL_EPMD_PORT={EpmdPort}",
            "ERL_EPMD_ADDRESS=127.0.0.1",
            $"RABBITMQ_MNESIA_BASE={Path.Combine(_dir, "mnesia")}",
            $"RABBITMQ_LOG_BASE={Path.Combine(_dir, "log")}",
            $"RABBITMQ_FEATURE_FLAGS_FILE={Path.Combine(_dir, "feature_flags")}",
            $"RABBITMQ_ENABLED_PLUGINS_FILE={Path.Combine(_dir, "enabled_plugins")}",
            $"RABBITMQ_CONFIG_FILE={Path.Combine(_dir, "rabbitmq.conf")}",
            $"RABBITMQ_PID_FILE={PidFile}",
        ];
        string[] command = ["env", .. environment, script, .. args];
        var info = Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser", ["-u", "rabbitmq", "--", .. command])
            : new ProcessStartInfo(command[0], command[1..]);
        info.UseShellExecute = false;
        info.WorkingDirectory = _dir;
        return info;
    }

    private async Task<bool> AcceptsConnectionsAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitForExitAsync(int pid, TimeSpan timeout)
    {
        if (!await Eventually.HoldsAsync(() => Task.FromResult(!Directory.Exists($"/proc/{pid}")), timeout, TimeSpan.FromMilliseconds(100)))
        {
            throw new TimeoutException($"RabbitMQ process {pid} did not exit within {timeout}.");
        }
    }

    private static async Task DrainAsync(StreamReader reader, string logFile, Lock logLock)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (logLock)
            {
                File.AppendAllText(logFile, line + "\n");
            }
        }
    }

    private static async Task<string> TailAsync(string logFile) =>
        File.Exists(logFile) ? string.Join('\n', (await File.ReadAllLinesAsync(logFile)).TakeLast(20)) : "(no output)";

    private static async Task RunAsync(string file, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false, RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await stderr}");
        }
    }
}
