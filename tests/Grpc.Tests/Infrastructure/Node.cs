using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests.Infrastructure;

/// <summary>One call the reference client (<c>node/client.js</c>, @grpc/grpc-js) makes.</summary>
public sealed record NodeCall(string Service, string Method, object? Request = null)
{
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
    public int? DeadlineMs { get; init; }
    public int? CancelAfterMessages { get; init; }
    public int? CancelAfterMs { get; init; }
    public IReadOnlyDictionary<string, object>? Options { get; init; }

    public NodeCall WithToken(string token) => this with { Metadata = new Dictionary<string, string> { ["authorization"] = $"Bearer {token}" } };
}

/// <summary>What grpc-js reported: the status code and details, and the messages received (bytes fields as {"$bytes": n}).</summary>
public sealed record NodeResult(int Code, string Details, JsonArray Messages, long ElapsedMs);

/// <summary>The reference gRPC implementation, run with the machine's Node.js; its packages come from node/package-lock.json.</summary>
public static class Node
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string Folder => Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Grpc.Tests", "node");

    public static string ContractsFolder => Path.Combine(TestEnvironment.RepositoryRoot, "contracts");

    public static string InteropProto => Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Grpc.Tests", "Protos", "interop_test.proto");

    /// <summary>./build.sh test runs <c>npm ci</c> here first; a bare <c>dotnet test</c> gets the same on first use.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (!File.Exists(Path.Combine(Folder, "node_modules", "@grpc", "grpc-js", "package.json")))
            {
                var (exit, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(3));
                Assert.True(exit == 0, $"npm ci failed in {Folder}: {output}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Runs the calls one after the other in one Node process and returns each call's outcome.</summary>
    public static async Task<NodeResult[]> CallAsync(string address, IEnumerable<string> protoFiles, IEnumerable<string> includeDirs, params NodeCall[] calls)
    {
        await EnsureInstalledAsync();
        var specFile = Path.Combine(Path.GetTempPath(), $"grpc-spec-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(specFile, JsonSerializer.Serialize(new { address, protoFiles, includeDirs, calls }, Json));
        try
        {
            var (exit, output) = await RunAsync("node", [Path.Combine(Folder, "client.js"), specFile], TimeSpan.FromSeconds(90));
            Assert.True(exit == 0, $"node client.js failed: {output}");
            var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('['));
            return JsonNode.Parse(line)!.AsArray().Select(r => new NodeResult(
                r!["code"]!.GetValue<int>(), r["details"]!.GetValue<string>(), r["messages"]!.AsArray(), r["elapsedMs"]!.GetValue<long>())).ToArray();
        }
        finally
        {
            File.Delete(specFile);
        }
    }

    /// <summary>The standard grpc.health.v1 .proto, for the reference client (the services serve Grpc.AspNetCore.HealthChecks).</summary>
    public static string ProtosFolder => Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Grpc.Tests", "Protos");

    /// <summary>Calls the contracts' services (cameras) and grpc.health.v1 at <paramref name="address"/>.</summary>
    public static Task<NodeResult[]> CallContractsAsync(string address, params NodeCall[] calls) =>
        CallAsync(address, ["cameras/v1/camera_directory.proto", "grpc/health/v1/health.proto"], [ContractsFolder, ProtosFolder], calls);

    /// <summary>Calls publicsafety.testing.v1.InteropTest at <paramref name="address"/>.</summary>
    public static Task<NodeResult[]> CallInteropAsync(string address, params NodeCall[] calls) =>
        CallAsync(address, [InteropProto], [], calls);

    public static async Task<NodeServer> StartServerAsync()
    {
        await EnsureInstalledAsync();
        var info = new ProcessStartInfo("node", [Path.Combine(Folder, "server.js"), InteropProto])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Folder,
        };
        var process = Process.Start(info)!;
        var server = new NodeServer(process);
        process.OutputDataReceived += (_, e) => server.Record(e.Data);
        process.ErrorDataReceived += (_, e) => server.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitForPortAsync(TimeSpan.FromSeconds(30));
        return server;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, string[] args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Folder,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}

/// <summary>A grpc-js server (<c>node/server.js</c>) serving InteropTest on a loopback port.</summary>
public sealed class NodeServer(Process process) : IAsyncDisposable
{
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Port => _port.Task.Result;

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToArray();
            }
        }
    }

    internal void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
        {
            _port.TrySetResult(int.Parse(line["LISTENING ".Length..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    internal async Task WaitForPortAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(_port.Task, Task.Delay(timeout));
        if (finished != _port.Task)
        {
            throw new TimeoutException("node server.js did not start: " + string.Join('\n', Lines));
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }

        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
