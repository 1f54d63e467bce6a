using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.Contracts;
using PublicSafety.Feedback.Extensions;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.Feedback.Tests;

// Helpers for the in-process tests of the background detectors: a clock the test moves, fixed options, and an outbox that
// records what the detectors hand to it in their transaction (the real outbox is covered by the API tests).

internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

internal sealed class StaticOptions(FeedbackOptions value) : IOptionsMonitor<FeedbackOptions>
{
    public FeedbackOptions CurrentValue => value;

    public FeedbackOptions Get(string? name) => value;

    public IDisposable? OnChange(Action<FeedbackOptions, string?> listener) => null;
}

/// <summary>Records what the detector hands to the outbox in its transaction (the real outbox is covered by the API tests).</summary>
internal sealed class RecordingOutbox : IOutbox
{
    private readonly List<IntegrationEvent> _events = [];

    public IReadOnlyList<IntegrationEvent> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }

    public Task AddAsync(NpgsqlTransaction transaction, IntegrationEvent @event, string aggregateKey, CancellationToken cancellationToken = default)
    {
        lock (_events)
        {
            _events.Add(@event);
        }

        return Task.CompletedTask;
    }

    public void Add(NpgsqlBatch batch, IntegrationEvent @event, string aggregateKey)
    {
        lock (_events)
        {
            _events.Add(@event);
        }
    }

    public Task AddAsync(NpgsqlTransaction transaction, IReadOnlyCollection<(IntegrationEvent Event, string AggregateKey)> events,
        CancellationToken cancellationToken = default)
    {
        lock (_events)
        {
            _events.AddRange(events.Select(e => e.Event));
        }

        return Task.CompletedTask;
    }
}

/// <summary>A fresh database migrated to the service's schema, with the service's metrics, for in-process tests.</summary>
internal sealed class MigratedDatabase : IAsyncDisposable
{
    private MigratedDatabase(PublicSafety.Testing.TestDatabase database, NpgsqlDataSource dataSource, Microsoft.Extensions.DependencyInjection.ServiceProvider services)
    {
        Database = database;
        DataSource = dataSource;
        Services = services;
        Metrics = new PublicSafety.Feedback.Infrastructure.FeedbackMetrics(
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(services));
    }

    public PublicSafety.Testing.TestDatabase Database { get; }

    public NpgsqlDataSource DataSource { get; }

    public Microsoft.Extensions.DependencyInjection.ServiceProvider Services { get; }

    public PublicSafety.Feedback.Infrastructure.FeedbackMetrics Metrics { get; }

    public static async Task<MigratedDatabase> CreateAsync()
    {
        var database = await PublicSafety.Testing.TestDatabase.CreateAsync("feedback");
        var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await new PublicSafety.ServiceDefaults.Data.MigrationRunner(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<PublicSafety.ServiceDefaults.Data.MigrationRunner>.Instance)
            .ApplyAsync([.. PublicSafety.ServiceDefaults.Data.MigrationScript.Platform,
                .. PublicSafety.ServiceDefaults.Data.MigrationScript.FromAssembly(typeof(FeedbackOptions).Assembly)], CancellationToken.None);
        var services = new ServiceCollection().AddMetrics()
            .BuildServiceProvider();
        return new MigratedDatabase(database, dataSource, services);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await DataSource.DisposeAsync();
        await Database.DisposeAsync();
    }
}
