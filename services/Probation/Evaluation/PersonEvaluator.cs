namespace PublicSafety.Probation.Evaluation;

/// <summary>A position as reported by a device.</summary>
public sealed record Fix(Guid DeviceId, DateTimeOffset FixTime, double Latitude, double Longitude, double Accuracy, double? Speed, DateTimeOffset ReceivedAt);

/// <summary>
/// Runs one person's zone state machines over fixes in fix-time order (README, "Zone evaluation"). Pure: the same
/// initial state and fixes always give the same states and violations, which is what makes replaying a late batch safe.
/// </summary>
public sealed class PersonEvaluator(EvaluationOptions options)
{
    public sealed record Result(IReadOnlyList<byte[]> States, MonitorState Final, IReadOnlyList<ViolationCandidate> Violations);

    private enum Crossing { None, Entered, Left }

    public Result Evaluate(PersonRules rules, MonitorState initial, IReadOnlyList<Fix> fixes)
    {
        var state = initial.Clone();
        var zoneIds = rules.Zones.Select(z => z.Id).ToHashSet();
        foreach (var key in state.Trackers.Keys.Where(k => !zoneIds.Contains(k.Zone)).ToArray())
        {
            state.Trackers.Remove(key);
        }

        var states = new List<byte[]>(fixes.Count);
        var violations = new List<ViolationCandidate>();
        // Episodes opened in this run, by zone and ring, so that leaving closes the range a late duplicate may merge into.
        var open = new Dictionary<(Guid, byte), int>();
        var curfewKeys = new HashSet<string>();
        for (var i = 0; i < fixes.Count; i++)
        {
            var fix = fixes[i];
            if (rules.Supervised(fix.FixTime))
            {
                var usable = fix.Accuracy <= options.MaxAccuracyMeters;
                foreach (var zone in rules.Zones)
                {
                    var d = Geo.DistanceMeters(fix.Latitude, fix.Longitude, zone.Latitude, zone.Longitude);
                    if (zone.Kind == ZoneKind.Inclusion)
                    {
                        if (usable)
                        {
                            Step(state, (zone.Id, 0), fix, d, zone.Radius, zone.Radius + options.HysteresisMeters);
                        }

                        continue;
                    }

                    var outer = zone.OuterRadius!.Value;
                    var inner = usable ? Step(state, (zone.Id, 0), fix, d, zone.Radius, outer) : Crossing.None;
                    var ring = usable ? Step(state, (zone.Id, 1), fix, d, outer, outer + options.HysteresisMeters) : Crossing.None;
                    if (inner == Crossing.Entered)
                    {
                        open[(zone.Id, 0)] = violations.Count;
                        violations.Add(Episode(rules, ViolationKinds.ExclusionEntry, Severities.Critical, zone, state.Trackers[(zone.Id, 0)].Since, fixes, i));
                    }
                    else if (inner == Crossing.Left)
                    {
                        Close(violations, open, (zone.Id, 0), fix.FixTime);
                    }

                    if (ring == Crossing.Entered && state.Trackers[(zone.Id, 0)].Side != Side.Inside)
                    {
                        open[(zone.Id, 1)] = violations.Count;
                        violations.Add(Episode(rules, ViolationKinds.ExclusionApproach, Severities.Warning, zone, state.Trackers[(zone.Id, 1)].Since, fixes, i));
                    }
                    else if (ring == Crossing.Left)
                    {
                        Close(violations, open, (zone.Id, 1), fix.FixTime);
                    }
                }

                foreach (var zone in rules.Zones.Where(z => z.Kind == ZoneKind.Inclusion && z.Curfews.Count > 0))
                {
                    if (CurfewBreach(rules, zone, state, fix.FixTime) is { } breach && curfewKeys.Add(breach.Key))
                    {
                        violations.Add(new ViolationCandidate(rules.PersonId, ViolationKinds.CurfewBreach, Severities.High, breach.Key, zone.Id, fix.DeviceId,
                            breach.StartedAt, fix.ReceivedAt, Point(fix), Evidence(fixes, i), rules.InCustody(fix.FixTime)));
                    }
                }
            }

            states.Add(state.Encode());
        }

        return new Result(states, state, violations);
    }

    /// <summary>
    /// The curfew breach at <paramref name="at"/> if the person is confirmed outside <paramref name="zone"/> inside one of its
    /// windows without an approved exception: keyed by the window, started when both the window and the absence had begun.
    /// Used for each fix and by the sweeper for persons with no new fixes.
    /// </summary>
    public static (string Key, DateTimeOffset StartedAt)? CurfewBreach(PersonRules rules, Zone zone, MonitorState state, DateTimeOffset at)
    {
        if (!state.Trackers.TryGetValue((zone.Id, 0), out var home) || home.Side != Side.Outside || rules.Excused(at) || !rules.Supervised(at))
        {
            return null;
        }

        foreach (var curfew in zone.Curfews)
        {
            if (curfew.WindowContaining(at) is { } windowStart)
            {
                var started = home.Since > windowStart ? home.Since : windowStart;
                return ($"{zone.Id:N}:{windowStart.UtcDateTime:yyyyMMddTHHmm}", started);
            }
        }

        return null;
    }

    /// <summary>
    /// When the curfew sweeper must next look at a person in <paramref name="state"/> as of <paramref name="at"/>: at once
    /// if they are away inside a window, else at the next window of a zone they are away from; null if they are not away.
    /// </summary>
    public static DateTimeOffset? CurfewDue(PersonRules rules, MonitorState state, DateTimeOffset at) =>
        EarliestOfCurfewsAwayFrom(rules, state, curfew => curfew.WindowContaining(at) is not null ? at : curfew.NextStartAfter(at));

    /// <summary>The first window start after <paramref name="after"/> of a curfew zone the person is away from in <paramref name="state"/>.</summary>
    public static DateTimeOffset? NextCurfewStart(PersonRules rules, MonitorState state, DateTimeOffset after) =>
        EarliestOfCurfewsAwayFrom(rules, state, curfew => curfew.NextStartAfter(after));

    private static DateTimeOffset? EarliestOfCurfewsAwayFrom(PersonRules rules, MonitorState state, Func<Curfew, DateTimeOffset?> moment)
    {
        DateTimeOffset? earliest = null;
        foreach (var zone in rules.Zones.Where(z => z.Kind == ZoneKind.Inclusion && z.Curfews.Count > 0))
        {
            if (!state.Trackers.TryGetValue((zone.Id, 0), out var home) || home.Side != Side.Outside)
            {
                continue;
            }

            foreach (var curfew in zone.Curfews)
            {
                if (moment(curfew) is { } m && (earliest is null || m < earliest))
                {
                    earliest = m;
                }
            }
        }

        return earliest;
    }

    /// <summary>
    /// One fix against one circle with an entering radius and a (larger or equal) leaving radius. A fix whose whole
    /// accuracy circle is on one side (d + a &lt; enter, d − a &gt; leave) crosses at once; point estimates on the other
    /// side (d &lt; enter, d &gt; leave + a/2) only cross after <see cref="EvaluationOptions.ConfirmFixes"/> in a row;
    /// anything in between changes nothing.
    /// </summary>
    private Crossing Step(MonitorState state, (Guid, byte) key, Fix fix, double d, double enter, double leave)
    {
        state.Trackers.TryGetValue(key, out var t);
        var a = fix.Accuracy;
        var definitelyIn = d + a < enter;
        var definitelyOut = d - a > leave;
        var towardIn = d < enter;
        // Inside is sticky: a point estimate counts toward leaving only when it is beyond the leaving radius by half its
        // accuracy. For an exclusion zone that favours the protected person, for a home it favours the supervised one.
        var towardOut = d > leave + a / 2;
        var confirm = options.ConfirmFixes;
        var result = Crossing.None;
        if (t.Side != Side.Inside && (definitelyIn || (towardIn && t.Run + 1 >= confirm)))
        {
            result = Crossing.Entered;
            t = new Tracker { Side = Side.Inside, SinceTicks = fix.FixTime.UtcTicks };
        }
        else if (t.Side != Side.Outside && (definitelyOut || (towardOut && -t.Run + 1 >= confirm)))
        {
            result = t.Side == Side.Inside ? Crossing.Left : Crossing.None;
            t = new Tracker { Side = Side.Outside, SinceTicks = fix.FixTime.UtcTicks };
        }
        else if (towardIn && t.Side != Side.Inside)
        {
            t.Run = (sbyte)Math.Min(Math.Max(t.Run, (sbyte)0) + 1, 100);
        }
        else if (towardOut && t.Side != Side.Outside)
        {
            t.Run = (sbyte)Math.Max(Math.Min(t.Run, (sbyte)0) - 1, -100);
        }
        else
        {
            t.Run = 0;
        }

        state.Trackers[key] = t;
        return result;
    }

    private ViolationCandidate Episode(PersonRules rules, string kind, string severity, Zone zone, DateTimeOffset since, IReadOnlyList<Fix> fixes, int i) =>
        new(rules.PersonId, kind, severity, $"{zone.Id:N}:{since.UtcDateTime:yyyyMMddTHHmmss.fffffff}", zone.Id, fixes[i].DeviceId, since, fixes[i].ReceivedAt,
            Point(fixes[i]), Evidence(fixes, i), rules.InCustody(since), MergeFrom: since);

    private static void Close(List<ViolationCandidate> violations, Dictionary<(Guid, byte), int> open, (Guid, byte) key, DateTimeOffset at)
    {
        if (open.Remove(key, out var index))
        {
            violations[index] = violations[index] with { MergeUntil = at };
        }
    }

    private IReadOnlyList<EvidencePoint> Evidence(IReadOnlyList<Fix> fixes, int i)
    {
        var from = Math.Max(0, i - options.EvidencePositions + 1);
        var evidence = new EvidencePoint[i - from + 1];
        for (var j = from; j <= i; j++)
        {
            evidence[j - from] = Point(fixes[j]);
        }

        return evidence;
    }

    private static EvidencePoint Point(Fix fix) => new(fix.FixTime, fix.Latitude, fix.Longitude, fix.Accuracy);
}
