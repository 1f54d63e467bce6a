using PublicSafety.Contracts.Feedback;
using PublicSafety.Feedback.Extensions;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;

namespace PublicSafety.Feedback.Tests;

/// <summary>The overdue detector in-process on a real database, with a clock the test moves: days pass in no time.</summary>
public sealed class OverdueDetectorTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingOutbox _outbox = new();
    private MigratedDatabase _db = null!;

    public async Task InitializeAsync() => _db = await MigratedDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task AComplaintIsReportedOnceWhenItsDeadlinePassesAndNeverWhenResolvedInTime()
    {
        var metrics = _db.Metrics;
        var options = new StaticOptions(new FeedbackOptions { ComplaintReviewDeadline = TimeSpan.FromDays(15) });
        var store = new ComplaintStore(_db.DataSource, _clock, options, metrics);
        var detector = new OverdueDetector(_db.DataSource, _outbox, _clock, metrics);
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
}
