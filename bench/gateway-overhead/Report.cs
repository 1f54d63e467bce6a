using System.Globalization;

namespace PublicSafety.Bench.GatewayOverhead;

public static class Report
{
    private const double ThroughputTarget = 0.60;
    private const double AddedP50TargetMs = 1.0;
    private const long WorkingSetTargetBytes = 250L * 1024 * 1024;

    public static void Print(LoadResult direct, LoadResult gateway, LoadResult directSingle, LoadResult gatewaySingle, long peakRss, long meanRss)
    {
        var ratio = gateway.RequestsPerSecond / direct.RequestsPerSecond;
        var addedLoaded = gateway.P50Ms - direct.P50Ms;
        var addedUnloaded = gatewaySingle.P50Ms - directSingle.P50Ms;

        Console.WriteLine();
        Console.WriteLine($"GET /api/feedback/me, {direct.Connections} connections          direct      gateway");
        Row("requests/s", direct.RequestsPerSecond, gateway.RequestsPerSecond, "0");
        Row("p50 ms", direct.P50Ms, gateway.P50Ms, "0.00");
        Row("p99 ms", direct.P99Ms, gateway.P99Ms, "0.00");
        Row("errors", direct.Errors, gateway.Errors, "0");
        Console.WriteLine($"GET /api/feedback/me, 1 connection (unloaded)");
        Row("requests/s", directSingle.RequestsPerSecond, gatewaySingle.RequestsPerSecond, "0");
        Row("p50 ms", directSingle.P50Ms, gatewaySingle.P50Ms, "0.000");
        Row("p99 ms", directSingle.P99Ms, gatewaySingle.P99Ms, "0.000");
        Console.WriteLine();
        Console.WriteLine("                                       measured     target");
        Verdict("throughput through the gateway", $"{ratio:P0} of direct", ratio >= ThroughputTarget, $">= {ThroughputTarget:P0}");
        Verdict("added p50, unloaded (1 connection)", $"{addedUnloaded:0.000} ms", addedUnloaded <= AddedP50TargetMs, $"<= {AddedP50TargetMs} ms");
        Verdict($"added p50, loaded ({direct.Connections} connections)", $"{addedLoaded:0.00} ms", addedLoaded <= AddedP50TargetMs, $"<= {AddedP50TargetMs} ms");
        Verdict("gateway working set under load (peak)", $"{peakRss / 1048576.0:0} MB", peakRss < WorkingSetTargetBytes, "< 250 MB");
        Console.WriteLine($"  (mean working set under load {meanRss / 1048576.0:0} MB; VmRSS of the gateway process)");
        Console.WriteLine();
        Console.WriteLine($"Note: {Environment.ProcessorCount} cores are shared by the load generator, the gateway and the service (and by whatever else");
        Console.WriteLine("runs on this machine: see the load averages). In the loaded runs the CPU is saturated, so every cycle the gateway");
        Console.WriteLine("spends is taken from the service and the load generator: the throughput ratio is a lower bound of what the gateway");
        Console.WriteLine("keeps where it has cores of its own, and loaded latency is mostly queueing (p50 ~ connections / throughput), which");
        Console.WriteLine("is why the added p50 is also measured unloaded. Through the gateway the token is validated twice (gateway and");
        Console.WriteLine("service), as in production.");
    }

    /// <param name="bare">The same measured processes in the rounds through the bare YARP proxy (bench/bare-proxy).</param>
    public static void PrintCpu(IReadOnlyDictionary<string, double> direct, IReadOnlyDictionary<string, double> gateway,
        IReadOnlyDictionary<string, double> bare, double bareThroughputRatio)
    {
        Console.WriteLine();
        Console.WriteLine("CPU per request (µs), 32-connection runs           direct      gateway   bare proxy");
        foreach (var name in direct.Keys)
        {
            Row(name, direct[name], gateway[name], bare[name], "0");
        }

        Row("all", direct.Values.Sum(), gateway.Values.Sum(), bare.Values.Sum(), "0");
        var own = gateway["gateway"];
        var yarp = bare["bare proxy"];
        Console.WriteLine($"  the proxy itself: gateway {own:0} µs, bare YARP {yarp:0} µs in the same rounds ({own / yarp:0.00} times; " +
            $"the gateway's own pipeline about {own - yarp:0} µs); the bare proxy kept {bareThroughputRatio:P0} of direct throughput");
        Console.WriteLine("  (CPU per request grows with the machine's load, scheduling and cache misses included: compare the gateway with the");
        Console.WriteLine("  bare proxy of the same run rather than with a figure from another run.)");
    }

    private static void Row(string name, double direct, double gateway, string format) =>
        Console.WriteLine($"  {name,-36}{direct.ToString(format, CultureInfo.InvariantCulture),10}   {gateway.ToString(format, CultureInfo.InvariantCulture),10}");

    private static void Row(string name, double direct, double gateway, double bare, string format) =>
        Console.WriteLine($"  {name,-36}{direct.ToString(format, CultureInfo.InvariantCulture),10}   {gateway.ToString(format, CultureInfo.InvariantCulture),10}" +
            $"   {bare.ToString(format, CultureInfo.InvariantCulture),10}");

    private static void Verdict(string name, string measured, bool met, string target) =>
        Console.WriteLine($"  {name,-40}{measured,-16}{target,-10} {(met ? "met" : "NOT met")}");
}
