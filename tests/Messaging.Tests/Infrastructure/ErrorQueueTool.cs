using System.Diagnostics;
using System.Text.Json;
using PublicSafety.Testing;

namespace PublicSafety.Messaging.Tests.Infrastructure;

/// <summary>The operator's command (tools/ErrorQueue), run as the operator runs it.</summary>
public static class ErrorQueueTool
{
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(Uri broker, params string[] args)
    {
        var dll = Path.Combine(TestEnvironment.RepositoryRoot, "tools", "ErrorQueue", "bin", TestEnvironment.Configuration, "net10.0", "PublicSafety.ErrorQueue.dll");
        var info = new ProcessStartInfo("dotnet", [dll, .. args, "--broker", broker.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout, await stderr);
    }

    public static async Task<IReadOnlyList<Faulted>> ListAsync(Uri broker, string errorQueue)
    {
        var (exit, output, errors) = await RunAsync(broker, "list", errorQueue, "--json");
        Assert.True(exit == 0, output + errors);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<Faulted>(line, JsonSerializerOptions.Web)!)
            .ToArray();
    }

    public sealed record Faulted(string? MessageId, string? MessageType, string? ExceptionType, string? Reason, string? FaultedAt, string InputQueue);
}
