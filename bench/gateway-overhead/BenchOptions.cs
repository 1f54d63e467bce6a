using System.Globalization;

namespace PublicSafety.Bench.GatewayOverhead;

/// <summary>Command line: <c>--connections 32 --duration 15 --rounds 3 --warmup 10 --latency-duration 5</c> (seconds).</summary>
public sealed record BenchOptions
{
    public int Connections { get; init; } = 32;

    /// <summary>Measured time per target, split over <see cref="Rounds"/> that alternate direct and gateway.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Alternating rounds spread background noise (other processes on a shared machine) over both targets alike.</summary>
    public int Rounds { get; init; } = 3;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The unloaded phase: one connection, one request at a time, to see the latency the gateway adds by itself.</summary>
    public TimeSpan LatencyDuration { get; init; } = TimeSpan.FromSeconds(5);

    public string Postgres { get; init; } = Environment.GetEnvironmentVariable("PUBLICSAFETY_TEST_PG")
        ?? "Host=127.0.0.1;Port=55432;Username=postgres;Password=postgres;Database=postgres";

    public string Rabbit { get; init; } = Environment.GetEnvironmentVariable("PUBLICSAFETY_TEST_RABBIT")
        ?? "amqp://publicsafety:publicsafety@127.0.0.1:55672/";

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--connections" => options with { Connections = Math.Clamp(int.Parse(value, CultureInfo.InvariantCulture), 1, 1024) },
                "--duration" => options with { Duration = Seconds(value, 1, 300) },
                "--rounds" => options with { Rounds = Math.Clamp(int.Parse(value, CultureInfo.InvariantCulture), 1, 20) },
                "--warmup" => options with { Warmup = Seconds(value, 0, 120) },
                "--latency-duration" => options with { LatencyDuration = Seconds(value, 1, 120) },
                _ => throw new ArgumentException($"unknown option {args[i]}; options: --connections N --duration s --rounds N --warmup s --latency-duration s"),
            };
        }

        return options;
    }

    private static TimeSpan Seconds(string value, int min, int max) =>
        TimeSpan.FromSeconds(Math.Clamp(double.Parse(value, CultureInfo.InvariantCulture), min, max));
}
