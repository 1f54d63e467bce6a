using Npgsql;

namespace PublicSafety.Bench;

/// <summary>A database of the bench's own on the test server (<c>PUBLICSAFETY_TEST_PG</c>), dropped on dispose.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _admin;

    private BenchDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    /// <summary>The server's administrative connection string, as the tests use it.</summary>
    public static string Admin =>
        Environment.GetEnvironmentVariable("PUBLICSAFETY_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Password=postgres;Database=postgres";

    /// <summary>The broker the services use, as the tests use it.</summary>
    public static string Broker =>
        Environment.GetEnvironmentVariable("PUBLICSAFETY_TEST_RABBIT") ?? "amqp://publicsafety:publicsafety@127.0.0.1:55672/";

    public string Name { get; }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> CreateAsync(string prefix, bool postgis = false)
    {
        var database = new BenchDatabase(Admin, $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)]);
        await ExecuteAsync(Admin, $"CREATE DATABASE \"{database.Name}\"");
        if (postgis)
        {
            await ExecuteAsync(database.ConnectionString, "CREATE EXTENSION IF NOT EXISTS postgis");
        }

        return database;
    }

    public Task ExecuteAsync(string sql) => ExecuteAsync(ConnectionString, sql);

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        await cmd.ExecuteNonQueryAsync();
    }
}
