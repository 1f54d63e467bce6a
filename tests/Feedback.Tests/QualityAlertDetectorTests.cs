using PublicSafety.Contracts.Feedback;
using PublicSafety.Feedback.Extensions;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;

namespace PublicSafety.Feedback.Tests;

/// <summary>The rolling 30-day alert in-process on a real database, with a clock the test moves.</summary>
public sealed class QualityAlertDetectorTests : IAsyncLifetime
{
    private const string Unit = "Kostanay city police";
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 4, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly RecordingOutbox _outbox = new();
    private readonly StaticOptions _options = new(new FeedbackOptions
    {
        SatisfactionTargets = new() { [2025] = 0.65, [2026] = 0.77 },
        AlertWindow = TimeSpan.FromDays(30),
        AlertMinimumResponses = 5,
    });

    private MigratedDatabase _db = null!;
    private InteractionStore _interactions = null!;
    private SurveyStore _surveys = null!;
    private QualityAlertDetector _detector = null!;

    public async Task InitializeAsync()
    {
        _db = await MigratedDatabase.CreateAsync();
        _interactions = new InteractionStore(_db.DataSource, _outbox, new SuppressionPolicy(_options), _clock, _options, _db.Metrics);
        _surveys = new SurveyStore(_db.DataSource, _clock, _db.Metrics);
        _detector = new QualityAlertDetector(_db.DataSource, _outbox, _clock, new SatisfactionTargets(Microsoft.Extensions.Options.Options.Create(_options.CurrentValue)),
            _options, _db.Metrics);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task AnAlertIsRaisedOnceWhileBelowTargetAndAgainOnlyAfterTheUnitRecovered()
    {
        // 4 of 5 satisfied = 80 %: above the 77 % target.
        await AnswerAsync(5, 5, 5, 4, 2);
        Assert.Equal(0, await _detector.EvaluateAsync(default));

        // Two more unsatisfied: 4 of 7 = 57 %.
        await AnswerAsync(1, 2);
        Assert.Equal(1, await _detector.EvaluateAsync(default));
        var alert = Assert.Single(Alerts());
        Assert.Equal((Unit, 7, 0.5714, 0.77), (alert.Unit, alert.Responses, alert.SatisfiedShare, alert.Target));
        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromDays(30), alert.WindowStart);
        Assert.Equal(0, await _detector.EvaluateAsync(default));

        // A month later those responses have left the window; eight satisfied ones bring the unit back above target.
        _clock.Advance(TimeSpan.FromDays(31));
        await AnswerAsync(5, 5, 5, 5, 5, 4, 4, 4);
        Assert.Equal(0, await _detector.EvaluateAsync(default));

        // Falling below again (8 of 13 = 62 %) raises a new alert.
        await AnswerAsync(1, 1, 2, 3, 1);
        Assert.Equal(1, await _detector.EvaluateAsync(default));
        Assert.Equal(2, Alerts().Count);
        Assert.Equal(13, Alerts()[1].Responses);
    }

    [Fact]
    public async Task AnAlertIsClearedWhenTheUnitHasTooFewResponsesLeftAndCanBeRaisedAgain()
    {
        await AnswerAsync(1, 2, 3, 1, 2);
        Assert.Equal(1, await _detector.EvaluateAsync(default));
        Assert.Equal(Unit, Assert.Single(await _detector.ActiveAsync(["KZ-39"], default)).Unit);

        // A month later the responses have left the window: the unit is no longer judged, so it is no longer listed as below target.
        _clock.Advance(TimeSpan.FromDays(31));
        await AnswerAsync(1, 1);
        Assert.Equal(0, await _detector.EvaluateAsync(default));
        Assert.Empty(await _detector.ActiveAsync(["KZ-39"], default));

        // Enough poor responses in the new window raise a new alert.
        await AnswerAsync(2, 1, 2);
        Assert.Equal(1, await _detector.EvaluateAsync(default));
        Assert.Equal(2, Alerts().Count);
        Assert.Equal(5, Alerts()[1].Responses);
        Assert.Single(await _detector.ActiveAsync(["KZ-39"], default));
    }

    [Fact]
    public async Task ReplicasEvaluatingAtOnceRaiseTheAlertOnce()
    {
        await AnswerAsync(1, 2, 3, 1, 2);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _detector.EvaluateAsync(default)));
        // A replica that finds the lock held skips the round (null); whoever evaluates after the first sees the alert raised.
        Assert.Equal(1, results.Sum(r => r ?? 0));
        Assert.Single(Alerts());
    }

    [Fact]
    public async Task UnsolicitedResponsesAndTooFewResponsesNeverRaiseAnAlert()
    {
        for (var i = 0; i < 10; i++)
        {
            await _surveys.SubmitUnsolicitedAsync(new UnsolicitedContext("KZ-39", Unit, null, null), new SurveyAnswers(1, null, null, null, null, null, null), default);
        }

        await AnswerAsync(1, 1, 1, 1);
        Assert.Equal(0, await _detector.EvaluateAsync(default));
        Assert.Empty(Alerts());
    }

    private List<ServiceQualityAlertRaised> Alerts() => _outbox.Events.OfType<ServiceQualityAlertRaised>().ToList();

    private async Task AnswerAsync(params short[] scores)
    {
        foreach (var score in scores)
        {
            var registered = await _interactions.RegisterAsync(new InteractionData("test-102", FeedbackService.NewReference(), "call_102", null, "KZ-39", Unit,
                "phone", _clock.GetUtcNow().AddHours(-1), true, "sms"), default);
            var token = _outbox.Events.OfType<SurveyInvitationIssued>().Single(e => e.InteractionId == registered.Interaction.Id).Token;
            Assert.IsType<SubmitOutcome.Accepted>(await _surveys.SubmitAsync(token, new SurveyAnswers(score, score, null, null, null, null, null), default));
        }
    }
}
