using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PublicSafety.AppHost.Infrastructure;

/// <summary>
/// PostgreSQL 15 + PostGIS from Debian's packages, run by DCP as a host process (no container runtime here). Its connection
/// string is the superuser's; each database's is the services' role, owner of that database.
/// </summary>
public sealed class HostPostgresServerResource(string name, string command, string dataDirectory, int port)
    : ExecutableResource(name, command, "/"), IResourceWithConnectionString
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    // Development servers on loopback only: the same well-known credentials as scripts/postgres.sh.
    public const string AdminPassword = "postgres";
    public const string ServiceRole = "publicsafety";

    public string DataDirectory { get; } = dataDirectory;

    public int Port { get; } = port;

    public List<HostPostgresDatabaseResource> Databases { get; } = [];

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"Host=127.0.0.1;Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Password={AdminPassword}");

    internal string AdminConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password={AdminPassword};Database={database};Timeout=5;Pooling=false";
}

/// <summary>A service's database on the host-process server; created (with PostGIS) once the server is healthy.</summary>
public sealed class HostPostgresDatabaseResource(string name, HostPostgresServerResource parent, bool postgis)
    : Resource(name), IResourceWithParent<HostPostgresServerResource>, IResourceWithConnectionString
{
    public HostPostgresServerResource Parent { get; } = parent;

    public bool PostGis { get; } = postgis;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={Parent.Port.ToString(CultureInfo.InvariantCulture)};Database={Name};Username={HostPostgresServerResource.ServiceRole};Password={HostPostgresServerResource.ServiceRole}");
}

public static class HostPostgresExtensions
{
    public static IResourceBuilder<HostPostgresServerResource> AddHostPostgres(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory, int port)
    {
        var account = new ServerAccount("postgres");
        var (command, prefix) = account.Wrap($"{HostPostgresServerResource.BinDirectory}/postgres");
        var server = new HostPostgresServerResource(name, command, dataDirectory, port);
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheck, _ => new NpgsqlHealthCheck(server.AdminConnectionString()), null, null));

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (e, ct) =>
        {
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await InitializeClusterAsync(server, account, logger, ct);
        });
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (e, ct) =>
        {
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            await CreateDatabasesAsync(server, logger, ct);
            foreach (var database in server.Databases)
            {
                await notifications.PublishUpdateAsync(database, s => s with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                    StopTimeStamp = null,
                });
            }
        });
        builder.Eventing.Subscribe<ResourceStoppedEvent>(server, async (e, ct) =>
        {
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in server.Databases)
            {
                await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Exited, StopTimeStamp = DateTime.UtcNow });
            }
        });

        // Durability is traded for speed, as in scripts/postgres.sh: development data (an OS crash can lose it).
        return builder.AddResource(server)
            .WithArgs([.. prefix, "-D", dataDirectory,
                "-c", "listen_addresses=127.0.0.1", "-c", $"port={port}", "-c", $"unix_socket_directories={dataDirectory}",
                "-c", "max_connections=300", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
            .WithEndpoint(name: "tcp", scheme: "tcp", port: port, targetPort: port, isProxied: false)
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheck);
    }

    public static IResourceBuilder<HostPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<HostPostgresServerResource> server, string name, bool postgis = true)
    {
        var database = new HostPostgresDatabaseResource(name, server.Resource, postgis);
        server.Resource.Databases.Add(database);
        var healthCheck = $"{name}_check";
        var connectionString = $"Host=127.0.0.1;Port={server.Resource.Port};Database={name};Username={HostPostgresServerResource.ServiceRole};" +
                               $"Password={HostPostgresServerResource.ServiceRole};Timeout=5;Pooling=false";
        server.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheck, _ => new NpgsqlHealthCheck(connectionString, postgis), null, null));
        return server.ApplicationBuilder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.NotStarted,
                Properties = [new(CustomResourceKnownProperties.Source, server.Resource.Name)],
            })
            .WithIconName("Database")
            .WithHealthCheck(healthCheck);
    }

    private static async Task InitializeClusterAsync(HostPostgresServerResource server, ServerAccount account, ILogger logger, CancellationToken ct)
    {
        var data = server.DataDirectory;
        if (File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            logger.LogInformation("Using the cluster in {DataDirectory}", data);
            return;
        }

        logger.LogInformation("Creating a cluster in {DataDirectory}", data);
        await account.OwnDirectoryAsync(data, logger, ct);
        // initdb reads the superuser's password from a file the server account can read; it is gone right after.
        var passwordFile = Path.Combine(Path.GetDirectoryName(data)!, "postgres.pw");
        await File.WriteAllTextAsync(passwordFile, HostPostgresServerResource.AdminPassword + "\n", ct);
        try
        {
            if (ServerAccount.IsRoot)
            {
                await ServerAccount.RunAsync("chown", [$"{account.User}:", passwordFile], logger, ct);
            }

            await account.RunAsAsync($"{HostPostgresServerResource.BinDirectory}/initdb",
                ["-D", data, "-U", "postgres", $"--pwfile={passwordFile}", "--auth-host=scram-sha-256", "--auth-local=peer",
                 "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], logger, ct);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>The services' role and their databases, each with PostGIS where it is needed (idempotent).</summary>
    private static async Task CreateDatabasesAsync(HostPostgresServerResource server, ILogger logger, CancellationToken ct)
    {
        await using (var admin = new NpgsqlConnection(server.AdminConnectionString()))
        {
            await admin.OpenAsync(ct);
            await ExecuteAsync(admin, $"""
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{HostPostgresServerResource.ServiceRole}') THEN
                        CREATE ROLE {HostPostgresServerResource.ServiceRole} LOGIN;
                    END IF;
                END $$;
                ALTER ROLE {HostPostgresServerResource.ServiceRole} LOGIN PASSWORD '{HostPostgresServerResource.ServiceRole}';
                """, ct);
            foreach (var database in server.Databases)
            {
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", admin);
                exists.Parameters.AddWithValue("name", database.Name);
                if (await exists.ExecuteScalarAsync(ct) is null)
                {
                    // Names are the AppHost's own resource names (lowercase letters), never input.
                    await ExecuteAsync(admin, $"CREATE DATABASE \"{database.Name}\" OWNER {HostPostgresServerResource.ServiceRole}", ct);
                    logger.LogInformation("Created database {Database}", database.Name);
                }
            }
        }

        // The services' role may not create PostGIS (not a trusted extension), so the superuser does; their migrations'
        // CREATE EXTENSION IF NOT EXISTS is then a no-op.
        foreach (var database in server.Databases.Where(d => d.PostGis))
        {
            await using var connection = new NpgsqlConnection(server.AdminConnectionString(database.Name));
            await connection.OpenAsync(ct);
            await ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS postgis", ct);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Healthy when a connection opens (and, for a spatial database, PostGIS is installed).</summary>
internal sealed class NpgsqlHealthCheck(string connectionString, bool postgis = false) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            var sql = postgis ? "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'" : "SELECT 1";
            await using var command = new NpgsqlCommand(sql, connection);
            var result = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            return result > 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("PostGIS is not installed yet");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
