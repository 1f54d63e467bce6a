using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PublicSafety.ServiceDefaults.Health;
using PublicSafety.ServiceDefaults.Telemetry;

namespace PublicSafety.ServiceDefaults.Data;

public static class ServiceDatabase
{
    /// <summary>
    /// The service's own PostgreSQL database from <c>ConnectionStrings:&lt;connectionName&gt;</c>: a pooled
    /// <see cref="NpgsqlDataSource"/>, its schema migrated from <paramref name="migrations"/> at start-up,
    /// and readiness checks for both.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase(this IHostApplicationBuilder builder, string connectionName, Assembly migrations)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured.");

        // Aspire's client integration: the data source, its health check, and Npgsql's traces (when they are exported: a span
        // per statement for nobody is pure cost) and metrics.
        builder.AddNpgsqlDataSource(connectionName, s => s.DisableTracing = !PlatformTelemetry.IsExporting(builder), dataSource =>
        {
            dataSource.ConnectionStringBuilder.ApplicationName ??= builder.Environment.ApplicationName;
            // Hot paths (outbox, inbox, the services' own statements) run the same statements on short-lived pooled
            // connections; measured in bench/messaging, these two settings cut the database's and the service's CPU per
            // event by about a third. Statements are prepared after their second use, which saves PostgreSQL the parse
            // and plan of every later execution. And a connection returned to the pool is not reset (RESET ALL, UNLISTEN,
            // advisory unlock, ... prepended to its next command), so code must not leave session state behind: use
            // SET LOCAL and transaction-scoped advisory locks, or unlock explicitly (as the migration runner and the
            // outbox dispatcher do). A connection string that names either setting keeps its own value.
            if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
            {
                dataSource.ConnectionStringBuilder.MaxAutoPrepare = 64;
            }

            if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
            {
                dataSource.ConnectionStringBuilder.NoResetOnClose = true;
            }
        });
        // Aspire registers its database check untagged; our probes select by tag, and readiness needs the database.
        builder.Services.Configure<HealthCheckServiceOptions>(o =>
            o.Registrations.Single(r => r.Name == AspireHealthCheckName).Tags.Add(HealthTags.Ready));
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton<SchemaState>();
        builder.Services.AddSingleton(new MigrationSource([.. MigrationScript.Platform, .. MigrationScript.FromAssembly(migrations)]));
        // First of the hosted services, which start in registration order: those registered before (Data Protection's key
        // ring warm-up, see DatabaseKeyRing) may wait for the schema, and this one only starts the work in the background.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MigrationService>());
        builder.Services.AddHealthChecks().AddCheck<SchemaHealthCheck>("schema", tags: [HealthTags.Ready]);
        return builder;
    }

    /// <summary>The name under which <c>AddNpgsqlDataSource</c> registers its (unkeyed) data source's health check.</summary>
    internal const string AspireHealthCheckName = "PostgreSql";

    /// <summary>
    /// Brings the schema up to date now, with the migrations <see cref="AddServiceDatabase"/> registered, for a command that
    /// runs without starting the host (a service migrates in the background at start-up); returns how many were applied.
    /// </summary>
    public static Task<int> MigrateAsync(this IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<MigrationRunner>().ApplyAsync(services.GetRequiredService<MigrationSource>().Scripts, ct);

    internal sealed record MigrationSource(IReadOnlyList<MigrationScript> Scripts);

    /// <summary>Whether this process has brought the schema up to date; readiness waits for it.</summary>
    internal sealed class SchemaState
    {
        private readonly TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsCurrent => _current.Task.IsCompleted;

        /// <summary>Completes once the schema is current; background workers that use the tables wait for it.</summary>
        public Task WhenCurrent => _current.Task;

        public void MarkCurrent() => _current.TrySetResult();
    }

    /// <summary>
    /// Migrates in the background, retrying while the database is unreachable, so that the process stays live
    /// (and reports not-ready) instead of crash-looping while PostgreSQL starts.
    /// </summary>
    private sealed class MigrationService(MigrationRunner runner, MigrationSource source, SchemaState state, ILogger<MigrationService> logger)
        : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var delay = TimeSpan.FromSeconds(1);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var applied = await runner.ApplyAsync(source.Scripts, stoppingToken);
                    state.MarkCurrent();
                    logger.LogInformation("Schema is current ({MigrationsApplied} migrations applied now)", applied);
                    return;
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Database not reachable for migrations; retrying in {RetryDelay}", delay);
                    await Task.Delay(delay, stoppingToken);
                    delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
                }
            }
        }
    }

    private sealed class SchemaHealthCheck(SchemaState state) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
            Task.FromResult(state.IsCurrent ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("Schema migrations have not completed."));
    }
}
