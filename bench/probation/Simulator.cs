namespace PublicSafety.Bench.Probation;

/// <summary>What a synthetic person does during the run (SYNTHETIC DATA).</summary>
public enum Behaviour { StaysHome, BreaksCurfew, EntersExclusionZone, TampersWithStrap, LetsBatteryRunDown, RemovesBracelet, GoesSilent }

/// <summary>One reported position, as the telemetry API takes it.</summary>
public sealed record Position(string Device, DateTimeOffset FixTime, double Latitude, double Longitude, double Accuracy, double Speed);

/// <summary>One device event, as the telemetry API takes it.</summary>
public sealed record DeviceEvent(string Device, DateTimeOffset At, string Kind, int? BatteryPercent);

/// <summary>
/// The device simulator: persons with a home in Almaty and a bracelet each, reporting where they are along their route.
/// Most stay within their home zone with GPS jitter. Of every <c>breakEvery</c> persons one of each kind breaks a rule:
/// leaves home and goes round it 800 m away (away during its curfew); drives at 12 m/s east to the protected address
/// 1 km away (its exclusion zone), through the outer ring into the inner one, and stays there; opens the strap; reports
/// a low battery and never puts it on charge; takes the bracelet off (bracelet_gone); stops sending fixes altogether
/// (no fix). Rule breakers set off between <c>leaveAfter</c> and a minute later, so that violations are spread over the
/// run rather than all on the first round. Like real devices, one fix in 20 is poor (150–800 m accuracy; above 500 m it
/// moves no state), one in 200 is held back and uploaded late (after a newer fix of the device is stored), and one in
/// 200 is sent twice (again with the next report), so the service's replay and duplicate paths are exercised too.
/// </summary>
public sealed class Simulator(int persons, int breakEvery, TimeSpan leaveAfter, int seed = 42)
{
    private const double MetresPerDegreeLat = 111_320;
    private const double WalkingSpeed = 1.5;
    private const double DrivingSpeed = 12;
    private readonly Random _random = new(seed);
    private readonly HashSet<int> _eventSent = [];
    // A fix kept for a later report, and how many more of the device's reports it waits for.
    private readonly Dictionary<int, (Position Fix, int Wait)> _heldBack = [];

    public int Persons => persons;

    public static string Serial(int i) => $"BENCH-{i:D7}";

    public Behaviour BehaviourOf(int i) => (i % breakEvery) switch
    {
        1 => Behaviour.BreaksCurfew,
        2 => Behaviour.EntersExclusionZone,
        3 => Behaviour.TampersWithStrap,
        4 => Behaviour.LetsBatteryRunDown,
        5 => Behaviour.RemovesBracelet,
        6 => Behaviour.GoesSilent,
        _ => Behaviour.StaysHome,
    };

    /// <summary>Home of person <paramref name="i"/>: spread over about 20 km around central Almaty, as the benchmark seeds it in SQL.</summary>
    public static (double Lat, double Lon) Home(int i) => (43.15 + (i % 1000) * 0.00018, 76.80 + (i / 1000 % 1000) * 0.00025);

    /// <summary>
    /// What device <paramref name="i"/> (reporting as <paramref name="serial"/>) uploads now: its position (none once it
    /// has gone silent, or when this one is held back), a fix held back or sent before, and its device event once it acts.
    /// </summary>
    public void Report(int i, string serial, DateTimeOffset now, TimeSpan elapsed, List<Position> positions, List<DeviceEvent> events)
    {
        var away = (elapsed - leaveAfter - TimeSpan.FromSeconds(i / breakEvery % 60)).TotalSeconds;
        var behaviour = BehaviourOf(i);
        if (away >= 0 && _eventSent.Add(i))
        {
            var kind = behaviour switch
            {
                Behaviour.TampersWithStrap => "strap_tamper",
                Behaviour.LetsBatteryRunDown => "battery_low",
                Behaviour.RemovesBracelet => "bracelet_gone",
                _ => null,
            };
            if (kind is not null)
            {
                events.Add(new DeviceEvent(serial, now, kind, behaviour == Behaviour.LetsBatteryRunDown ? 8 : null));
            }
        }

        if (_heldBack.TryGetValue(i, out var held))
        {
            if (held.Wait <= 1)
            {
                _heldBack.Remove(i);
                positions.Add(held.Fix);
            }
            else
            {
                _heldBack[i] = held with { Wait = held.Wait - 1 };
            }
        }

        if (behaviour == Behaviour.GoesSilent && away >= 0)
        {
            return;
        }

        var position = Next(i, behaviour, away, now) with { Device = serial };
        switch (_heldBack.ContainsKey(i) ? -1 : _random.Next(200))
        {
            case 0:
                // Late: sent two reports on, once the next report's newer fix is stored (the service replays the person).
                _heldBack[i] = (position, 2);
                return;
            case 1:
                // Duplicate: sent now and again with the next report.
                _heldBack[i] = (position, 1);
                break;
        }

        positions.Add(position);
    }

    private Position Next(int i, Behaviour behaviour, double away, DateTimeOffset now)
    {
        var (lat, lon) = Home(i);
        var (east, north) = behaviour switch
        {
            Behaviour.BreaksCurfew when away >= 0 => Loop(away),
            Behaviour.EntersExclusionZone when away >= 0 => (Math.Min(1000, away * DrivingSpeed), 0.0),
            _ => (0.0, 0.0),
        };
        east += (_random.NextDouble() - 0.5) * 30;
        north += (_random.NextDouble() - 0.5) * 30;
        var accuracy = _random.Next(20) == 0 ? 150 + _random.NextDouble() * 650 : 10;
        return new Position(Serial(i), now, lat + north / MetresPerDegreeLat, lon + east / (MetresPerDegreeLat * Math.Cos(lat * Math.PI / 180)), accuracy,
            behaviour switch { Behaviour.BreaksCurfew => WalkingSpeed, Behaviour.EntersExclusionZone => DrivingSpeed, _ => 0.2 });
    }

    /// <summary>Out by car to 800 m from home, then round home on foot on a circle of 800 m.</summary>
    private static (double East, double North) Loop(double seconds)
    {
        var outbound = 800 / DrivingSpeed;
        if (seconds < outbound)
        {
            return (seconds * DrivingSpeed, 0);
        }

        var angle = (seconds - outbound) * WalkingSpeed / 800;
        return (800 * Math.Cos(angle), 800 * Math.Sin(angle));
    }
}
