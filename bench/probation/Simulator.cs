namespace PublicSafety.Bench.Probation;

/// <summary>What a synthetic person does during the run (SYNTHETIC DATA).</summary>
public enum Behaviour { StaysHome, BreaksCurfew, EntersExclusionZone }

/// <summary>One reported position, as the telemetry API takes it.</summary>
public sealed record Position(string Device, DateTimeOffset FixTime, double Latitude, double Longitude, double Accuracy, double Speed);

/// <summary>
/// The device simulator: persons with a home in Almaty and a bracelet each, reporting where they are. Most stay within
/// their home zone with GPS jitter; one in <c>breakEvery</c> is away from home during its curfew; another one in
/// <c>breakEvery</c> walks from home into its exclusion zone (1 km east of home) after <c>walkAfter</c>.
/// </summary>
public sealed class Simulator(int persons, int breakEvery, TimeSpan walkAfter, int seed = 42)
{
    private const double MetresPerDegreeLat = 111_320;
    private readonly Random _random = new(seed);

    public int Persons => persons;

    public static string Serial(int i) => $"BENCH-{i:D7}";

    public Behaviour BehaviourOf(int i) =>
        i % breakEvery == 1 ? Behaviour.BreaksCurfew : i % breakEvery == 2 ? Behaviour.EntersExclusionZone : Behaviour.StaysHome;

    /// <summary>Home of person <paramref name="i"/>: spread over a 20 km square around central Almaty, the same in SQL seeding.</summary>
    public static (double Lat, double Lon) Home(int i) => (43.15 + (i % 1000) * 0.00018, 76.80 + (i / 1000 % 1000) * 0.00025);

    public Position Next(int i, DateTimeOffset now, TimeSpan elapsed)
    {
        var (lat, lon) = Home(i);
        var (east, north) = BehaviourOf(i) switch
        {
            Behaviour.BreaksCurfew => (800.0, 0.0),
            Behaviour.EntersExclusionZone when elapsed >= walkAfter => (1000.0, 0.0),
            _ => (0.0, 0.0),
        };
        east += (_random.NextDouble() - 0.5) * 30;
        north += (_random.NextDouble() - 0.5) * 30;
        return new Position(Serial(i), now, lat + north / MetresPerDegreeLat, lon + east / (MetresPerDegreeLat * Math.Cos(lat * Math.PI / 180)), 10, 0.4);
    }
}
