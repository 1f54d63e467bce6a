using System.Diagnostics;
using Npgsql;

namespace PublicSafety.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster of the test's own, for tests that stop and start the database under a running service
/// (stopping the shared one would break every other test). PostgreSQL refuses to run as root, so under root the
/// server binaries run as the <c>postgres</c> user.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _dataDir;

    private PrivatePostgres(string dataDir, int port)
    {
        _dataDir = dataDir;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database, Timeout = 5 }.ConnectionString;

    public static async Task<PrivatePostgres> StartAsync()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"publicsafety-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDir);
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync("chown", "postgres:postgres", dataDir);
        }

        var server = new PrivatePostgres(dataDir, FreePort.Next());
        await server.PgAsync("initdb", "-D", dataDir, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8");
        await server.StartServerAsync();
        return server;
    }

    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await cmd.ExecuteNonQueryAsync();
    }

    public Task StartServerAsync() => PgAsync("pg_ctl", "start", "-w", "-t", "60", "-D", _dataDir, "-l", Path.Combine(_dataDir, "server.log"),
        "-o", $"-p {Port} -k {_dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off");

    /// <summary>A fast shutdown: open sessions are cut, as in a failover or a crash of the database host.</summary>
    public Task StopServerAsync() => PgAsync("pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", _dataDir);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgAsync("pg_ctl", "stop", "-w", "-t", "30", "-m", "immediate", "-D", _dataDir);
        }
        catch (InvalidOperationException)
        {
            // Already stopped by the test.
        }

        Directory.Delete(_dataDir, recursive: true);
    }

    private Task PgAsync(string tool, params string[] args)
    {
        var path = Path.Combine(TestEnvironment.PostgresBinDir, tool);
        return Environment.IsPrivilegedProcess ? RunAsync("runuser", ["-u", "postgres", "--", path, .. args]) : RunAsync(path, args);
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}
