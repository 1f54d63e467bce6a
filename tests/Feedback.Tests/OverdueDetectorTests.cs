using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.Contracts;
using PublicSafety.Contracts.Feedback;
using PublicSafety.Feedback.Extensions;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.ServiceDefaults.Messaging.Outbox;
using PublicSafety.Testing;

namespace PublicSafety.Feedback.Tests;

/// <summary>The overdue detector in-process on a real database, with a clock the test moves: days pass in no time.</summary>
public sealed class OverdueDetectorTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingOutbox _outbox = new();
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("feedback");
        _dataSource = NpgsqlDataSource.Create(_database.ConnectionString);
        await new MigrationRunner(_dataSource, NullLogger<MigrationRunner>.Instance)
            .ApplyAsync([.. MigrationScript.Platform, .. MigrationScript.FromAssembly(typeof(FeedbackOptions).Assembly)], CancellationToken.None);
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task AComplaintIsReportedOnceWhenItsDeadlinePassesAndNeverWhenResolvedInTime()
    {
        var metrics = new FeedbackMetrics(_services.GetRequiredService<IMeterFactory>());
        var options = new StaticOptions(new FeedbackOptions { ComplaintReviewDeadline = TimeSpan.FromDays(15) });
        var store = new ComplaintStore(_dataSource, _clock, options, metrics);
        var detector = new OverdueDetector(_dataSource, _outbox, _clock, metrics);
        var late = await CreateAsync(store);
        var handled = await CreateAsync(store);

        _clock.Advance(TimeSpan.FromDays(10));
        await store.ApplyAsync(handled.Id, new ComplaintAction("forward", "inspector", "prosecutor's matter", null, null), _ => true, default);
        Assert.Equal(0, await detector.SweepAsync(default));

        _clock.Advance(TimeSpan.FromDays(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await detector.SweepAsync(default));

        // Two replicas sweeping at the same moment report it once between them.
        _clock.Advance(TimeSpan.FromSeconds(1));
        var swept = await Task.WhenAll(detector.SweepAsync(default), detector.SweepAsync(default));
        Assert.Equal(1, swept.Sum());
        var overdue = Assert.IsType<ComplaintOverdue>(Assert.Single(_outbox.Events));
        Assert.Equal(late.Id, overdue.ComplaintId);
        Assert.Equal(late.DueAt, overdue.DueAt);
        Assert.Equal(_clock.GetUtcNow(), overdue.OccurredAt);

        _clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await detector.SweepAsync(default));
        Assert.Single(_outbox.Events);
    }

    private static async Task<Complaint> CreateAsync(ComplaintStore store) =>
        ((ComplaintOutcome.Done)await store.CreateAsync(
            new ComplaintData("KZ-75", "Almaly district police", "rudeness", "Shouted at me.", null, "public", "citizen"), default)).Complaint;

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class StaticOptions(FeedbackOptions value) : IOptionsMonitor<FeedbackOptions>
    {
        public FeedbackOptions CurrentValue => value;

        public FeedbackOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<FeedbackOptions, string?> listener) => null;
    }

    /// <summary>Records what the detector hands to the outbox in its transaction (the real outbox is covered by the API tests).</summary>
    private sealed class RecordingOutbox : IOutbox
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
}
