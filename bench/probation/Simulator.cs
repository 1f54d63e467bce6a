namespace PublicSafety.Bench.Probation;

/// <summary>What a synthetic person does during the run (SYNTHETIC DATA).</summary>
public enum Behaviour { StaysHome, BreaksCurfew, EntersExclusionZone }

/// <summary>One reported position, as the telemetry API takes it.</summary>
public sealed record Position(string Device, DateTimeOffset FixTime, double Latitude, double Longitude, double Accuracy, double Speed);

/// <summary>
/// The device simulator: persons with a home in Almaty and a bracelet each, reporting where they are along their route.
/// Most stay within their home zone with GPS jitter; one in <c>breakEvery</c> leaves home and goes round it 800 m away
/// (away during its curfew); another one in <c>breakEvery</c> drives at 12 m/s east to the protected address 1 km away
/// (its exclusion zone), through the outer ring into the inner one, and stays there. Rule breakers set off between
/// <c>leaveAfter</c> and a minute later, so that violations are spread over the run rather than all on the first round.
/// </summary>
public sealed class Simulator(int persons, int breakEvery, TimeSpan leaveAfter, int seed = 42)
{
    private const double MetresPerDegreeLat = 111_320;
    private const double WalkingSpeed = 1.5;
    private const double DrivingSpeed = 12;
    private readonly Random _random = new(seed);

    public int Persons => persons;

    public static string Serial(int i) => $"BENCH-{i:D7}";

    public Behaviour BehaviourOf(int i) =>
        i % breakEvery == 1 ? Behaviour.BreaksCurfew : i % breakEvery == 2 ? Behaviour.EntersExclusionZone : Behaviour.StaysHome;

    /// <summary>Home of person <paramref name="i"/>: spread over about 20 km around central Almaty, as the benchmark seeds it in SQL.</summary>
    public static (double Lat, double Lon) Home(int i) => (43.15 + (i % 1000) * 0.00018, 76.80 + (i / 1000 % 1000) * 0.00025);

    public Position Next(int i, DateTimeOffset now, TimeSpan elapsed)
    {
        var (lat, lon) = Home(i);
        var away = (elapsed - leaveAfter - TimeSpan.FromSeconds(i / breakEvery % 60)).TotalSeconds;
        var (east, north) = BehaviourOf(i) switch
        {
            Behaviour.BreaksCurfew when away >= 0 => Loop(away),
            Behaviour.EntersExclusionZone when away >= 0 => (Math.Min(1000, away * DrivingSpeed), 0.0),
            _ => (0.0, 0.0),
        };
        east += (_random.NextDouble() - 0.5) * 30;
        north += (_random.NextDouble() - 0.5) * 30;
        return new Position(Serial(i), now, lat + north / MetresPerDegreeLat, lon + east / (MetresPerDegreeLat * Math.Cos(lat * Math.PI / 180)), 10,
            BehaviourOf(i) switch { Behaviour.BreaksCurfew => WalkingSpeed, Behaviour.EntersExclusionZone => DrivingSpeed, _ => 0.2 });
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
