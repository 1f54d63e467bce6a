using PublicSafety.Probation.Evaluation;

namespace PublicSafety.Probation.Tests;

/// <summary>The zone state machines on their own: the boundary rules the README defines, without a database.</summary>
public sealed class EvaluatorTests
{
    private const double Lat = 43.2389, Lon = 76.8897;
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid Device = Guid.NewGuid();
    private readonly PersonEvaluator _evaluator = new(new EvaluationOptions { ConfirmFixes = 3, HysteresisMeters = 25 });

    private static PersonRules Rules(params Zone[] zones) =>
        new(Guid.NewGuid(), "PRB-TEST", "KZ-75", "user-officer", T0.AddDays(-30), T0.AddDays(300), zones, [], []);

    private static Zone Exclusion(double inner = 100, double outer = 300) => new(Guid.NewGuid(), ZoneKind.Exclusion, Lat, Lon, inner, outer, []);

    /// <summary>A fix <paramref name="meters"/> east of the zone centre.</summary>
    private static Fix At(int second, double meters, double accuracy)
    {
        var (lat, lon) = Geo.Offset(Lat, Lon, meters, 90);
        return new Fix(Device, T0.AddSeconds(second), lat, lon, accuracy, null, T0);
    }

    private List<string> Kinds(PersonRules rules, params Fix[] fixes) =>
        _evaluator.Evaluate(rules, new MonitorState(), fixes).Violations.Select(v => v.Kind).ToList();

    [Fact]
    public void OffsetAndDistanceAgree()
    {
        var (lat, lon) = Geo.Offset(Lat, Lon, 250, 37);
        Assert.Equal(250, Geo.DistanceMeters(Lat, Lon, lat, lon), 0.5);
    }

    [Fact]
    public void AFixWhoseAccuracyCircleIsInsideTheInnerRingIsAnEntryAtOnce()
    {
        // d + a < inner: 60 + 30 = 90 < 100.
        Assert.Equal([ViolationKinds.ExclusionEntry], Kinds(Rules(Exclusion()), At(0, 60, 30)));
        // d + a = inner exactly is not "definitely inside", and one point estimate inside is not yet a crossing; it is
        // certainly inside the outer ring (100 < 300), which is an approach.
        Assert.Equal([ViolationKinds.ExclusionApproach], Kinds(Rules(Exclusion()), At(0, 70, 30)));
    }

    [Fact]
    public void APositionOnTheOuterRingWithAccuracyLargerThanTheRingIsNeitherEntryNorApproach()
    {
        // On the outer boundary (300 m) with 250 m accuracy, wider than the 200 m ring: it may be inside the inner ring
        // or well outside; nothing is confirmed.
        Assert.Empty(Kinds(Rules(Exclusion()), At(0, 300, 250)));
        Assert.Empty(Kinds(Rules(Exclusion()), At(0, 300, 250), At(30, 300, 250), At(60, 300, 250), At(90, 300, 250)));
    }

    [Fact]
    public void EntryFromTheRingBoundaryIsConfirmedByFixesOrByOneCertainFix()
    {
        var zone = Exclusion();
        // Three point estimates inside the inner ring, each too inaccurate to be certain, confirm the entry on the third.
        var result = _evaluator.Evaluate(Rules(zone), new MonitorState(), [At(0, 300, 250), At(30, 90, 150), At(60, 80, 150), At(90, 70, 150)]);
        var entry = Assert.Single(result.Violations, v => v.Kind == ViolationKinds.ExclusionEntry);
        Assert.Equal(T0.AddSeconds(90), entry.StartedAt);
        Assert.Equal(Severities.Critical, entry.Severity);
        Assert.Equal(4, entry.Evidence.Count);
    }

    [Fact]
    public void ApproachingIntoTheOuterRingIsAWarningAndEntryStillFollows()
    {
        var kinds = Kinds(Rules(Exclusion()), At(0, 600, 10), At(30, 250, 20), At(60, 50, 10));
        Assert.Equal([ViolationKinds.ExclusionApproach, ViolationKinds.ExclusionEntry], kinds);
    }

    [Fact]
    public void StandingStillNearTheInnerBoundaryDoesNotFlap()
    {
        var zone = Exclusion();
        var random = new Random(7);
        // 200 fixes jittering ±30 m around the inner boundary with 20 m accuracy.
        var fixes = Enumerable.Range(0, 200).Select(i => At(i * 30, 100 + (random.NextDouble() * 60 - 30), 20)).ToArray();
        var kinds = Kinds(Rules(zone), fixes);
        Assert.True(kinds.Count(k => k == ViolationKinds.ExclusionEntry) <= 1, string.Join(",", kinds));
        Assert.True(kinds.Count(k => k == ViolationKinds.ExclusionApproach) <= 1, string.Join(",", kinds));
    }

    [Fact]
    public void LeavingTheInnerRingNeedsToClearTheOuterRingBeforeANewEpisode()
    {
        var kinds = Kinds(Rules(Exclusion()),
            At(0, 20, 10), At(30, 150, 10), At(60, 20, 10), // back in without clearing the outer ring: same episode
            At(90, 400, 10), At(120, 20, 10));             // cleared 300 m with certainty, then in again: a new episode
        Assert.Equal(2, kinds.Count(k => k == ViolationKinds.ExclusionEntry));
    }

    [Fact]
    public void InaccurateFixesAreIgnored()
    {
        Assert.Empty(Kinds(Rules(Exclusion()), At(0, 0, 900), At(30, 0, 900), At(60, 0, 900)));
    }

    [Fact]
    public void CurfewWindowsAreInKazakhstansTime()
    {
        var curfew = new Curfew([], new TimeOnly(22, 0), new TimeOnly(6, 0));
        // Kazakhstan is UTC+5 since 1 March 2024, in every region: 22:00 local is 17:00 UTC.
        Assert.Null(curfew.WindowContaining(new DateTimeOffset(2026, 11, 20, 16, 59, 0, TimeSpan.Zero)));
        var start = curfew.WindowContaining(new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(TimeSpan.Zero, start!.Value.Offset); // a window start is stored as timestamptz and keys the episode
        // A time given at another offset is the instant it names.
        Assert.Equal(start, curfew.WindowContaining(new DateTimeOffset(2026, 11, 20, 22, 30, 0, TimeSpan.FromHours(5))));
        // 05:59 local the next morning is still the window that began the evening before; 06:00 is not.
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero), curfew.WindowContaining(new DateTimeOffset(2026, 11, 21, 0, 59, 0, TimeSpan.Zero)));
        Assert.Null(curfew.WindowContaining(new DateTimeOffset(2026, 11, 21, 1, 0, 0, TimeSpan.Zero)));
        var next = curfew.NextStartAfter(new DateTimeOffset(2026, 11, 21, 1, 0, 0, TimeSpan.Zero));
        Assert.Equal((new DateTimeOffset(2026, 11, 21, 17, 0, 0, TimeSpan.Zero), TimeSpan.Zero), (next, next!.Value.Offset));
        // Weekdays name the day the window starts: a Friday-only curfew covers early Saturday but not Saturday evening.
        var friday = new Curfew([5], new TimeOnly(22, 0), new TimeOnly(6, 0));
        Assert.NotNull(friday.WindowContaining(new DateTimeOffset(2026, 11, 20, 20, 0, 0, TimeSpan.Zero))); // Sat 01:00 local
        Assert.Null(friday.WindowContaining(new DateTimeOffset(2026, 11, 21, 18, 0, 0, TimeSpan.Zero))); // Sat 23:00 local
        // Early Saturday in Kazakhstan (Fri 20:00 UTC), the next Friday-only window is a week later.
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 17, 0, 0, TimeSpan.Zero), friday.NextStartAfter(new DateTimeOffset(2026, 11, 20, 20, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void AwayFromHomeIsACurfewBreachOnlyInsideTheWindowAndOnlyOncePerWindow()
    {
        var home = new Zone(Guid.NewGuid(), ZoneKind.Inclusion, Lat, Lon, 80, null, [new Curfew([], new TimeOnly(22, 0), new TimeOnly(6, 0))]);
        var rules = Rules(home) with { SupervisionStart = T0.AddDays(-30) };
        var windowStart = new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);
        Fix Away(DateTimeOffset at) => new(Device, at, Geo.Offset(Lat, Lon, 500, 90).Latitude, Geo.Offset(Lat, Lon, 500, 90).Longitude, 10, null, at);
        var result = _evaluator.Evaluate(rules, new MonitorState(),
            [Away(windowStart.AddHours(-2)), Away(windowStart.AddMinutes(-10)), Away(windowStart.AddMinutes(10)), Away(windowStart.AddMinutes(20)), Away(windowStart.AddHours(8.2))]);
        var breach = Assert.Single(result.Violations);
        Assert.Equal((ViolationKinds.CurfewBreach, windowStart), (breach.Kind, breach.StartedAt));
    }

    [Fact]
    public void TheStateRoundTripsThroughItsEncoding()
    {
        var zone = Exclusion();
        var result = _evaluator.Evaluate(Rules(zone), new MonitorState(), [At(0, 20, 10), At(30, 200, 500)]);
        var decoded = MonitorState.Decode(result.Final.Encode());
        Assert.Equal(result.Final.Trackers.OrderBy(k => k.Key.Ring), decoded.Trackers.OrderBy(k => k.Key.Ring));
        Assert.Empty(MonitorState.Decode([1, 2, 3]).Trackers);
    }
}
