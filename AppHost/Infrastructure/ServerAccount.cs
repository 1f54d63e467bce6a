using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PublicSafety.AppHost.Infrastructure;

/// <summary>
/// The account a host-process server runs as. Debian's PostgreSQL refuses root and its RabbitMQ expects its own user, so
/// when the AppHost is root the servers run as <c>postgres</c> and <c>rabbitmq</c> through <c>setpriv</c>, which execs the
/// server in place: the process DCP watches and signals is the server itself. Otherwise they run as the caller.
/// </summary>
public sealed record ServerAccount(string User)
{
    private const string SetPriv = "/usr/bin/setpriv";

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>The executable and leading arguments that run <paramref name="program"/> as this account.</summary>
    public (string Command, string[] Arguments) Wrap(string program, params string[] arguments) =>
        IsRoot
            ? (SetPriv, ["--reuid", User, "--regid", User, "--init-groups", "--", program, .. arguments])
            : (program, arguments);

    /// <summary>A directory only this account may enter (created if missing).</summary>
    public async Task OwnDirectoryAsync(string path, ILogger logger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (IsRoot)
        {
            await RunAsync("chown", ["-R", $"{User}:", path], logger, cancellationToken);
        }
    }

    /// <summary>Runs a tool as this account to its end; its output goes to the resource's console log.</summary>
    public Task RunAsAsync(string program, string[] arguments, ILogger logger, CancellationToken cancellationToken)
    {
        var (command, args) = Wrap(program, arguments);
        return RunAsync(command, args, logger, cancellationToken);
    }

    public static async Task RunAsync(string command, string[] arguments, ILogger logger, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(command, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{command} did not start");
        process.OutputDataReceived += (_, e) => Log(logger, e.Data, LogLevel.Information);
        process.ErrorDataReceived += (_, e) => Log(logger, e.Data, LogLevel.Warning);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} exited with {process.ExitCode}");
        }
    }

    private static void Log(ILogger logger, string? line, LogLevel level)
    {
        if (!string.IsNullOrEmpty(line))
        {
            logger.Log(level, "{Line}", line);
        }
    }
}
