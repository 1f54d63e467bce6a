using PublicSafety.Bench;
using PublicSafety.Bench.Messaging;
using PublicSafety.Testing;

// End to end on this machine: state change + outbox (one transaction per event) → dispatcher → RabbitMQ (quorum queue,
// publisher confirms) → consumer effect + inbox (one transaction), with the publisher, the consumer and the broker as
// separate processes. Bounded: fixed event counts, a timeout per phase and a watchdog; exits by itself.
// Usage: dotnet run -c Release --project bench/messaging [-- --rate 2200 --seconds 30 --warmup 15 --burst 20000 --cameras 1000 --writers 16]
var options = new BenchArgs(args);
var rate = options.Int("--rate", 2200);
var seconds = options.Int("--seconds", 30);
var burst = options.Int("--burst", 20_000);
var cameras = options.Int("--cameras", 1000);
var writers = options.Int("--writers", 16);
var warmup = options.Int("--warmup", 15);
// --env KEY=VALUE (repeatable): extra settings for both test hosts, e.g. --env OTEL_TRACES_SAMPLER=always_off.
var extraEnvironment = args.Select((a, i) => (a, i)).Where(x => x.a == "--env" && x.i + 1 < args.Length)
    .Select(x => args[x.i + 1].Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => (string?)kv[1]);
const double TargetRate = 2000, TargetP99Ms = 500;

using var watchdog = new CancellationTokenSource(TimeSpan.FromSeconds(seconds * 3 + warmup * 3 + burst / 500 + 300));
watchdog.Token.Register(() =>
{
    Console.Error.WriteLine("watchdog: the run overran its plan; stopping");
    Environment.Exit(2);
});

Console.WriteLine($"Messaging benchmark: {Environment.ProcessorCount} cores, load average {Phase.LoadAverage()} at start"
    + (extraEnvironment.Count > 0 ? $"; host settings: {string.Join(" ", extraEnvironment.Select(e => $"{e.Key}={e.Value}"))}" : ""));
Console.WriteLine("Starting a private RabbitMQ node, two databases, the consumer and the publisher...");
await using var broker = await PrivateRabbitMq.StartAsync();
await using var publisherDb = await TestDatabase.CreateAsync("bench_publisher");
await using var consumerDb = await TestDatabase.CreateAsync("bench_consumer");
string pgDataDirectory;
await using (var pg = new Npgsql.NpgsqlConnection(publisherDb.ConnectionString))
{
    await pg.OpenAsync();
    await using var show = new Npgsql.NpgsqlCommand("SELECT current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit')", pg);
    Console.WriteLine($"PostgreSQL {pg.PostgreSqlVersion} at {pg.Host}:{pg.Port}: fsync={await show.ExecuteScalarAsync()}; RabbitMQ {broker.NodeName} (quorum queues, confirms)");
    await using var dir = new Npgsql.NpgsqlCommand("SELECT current_setting('data_directory')", pg);
    pgDataDirectory = (string)(await dir.ExecuteScalarAsync())!;
}

await using var consumer = await Start(consumerDb, consume: true);
await using var publisher = await Start(publisherDb, consume: false);

using var rss = new RssSampler(new()
{
    ["publisher"] = () => publisher.ProcessId,
    ["consumer"] = () => consumer.ProcessId,
    ["broker (beam.smp)"] = () => broker.ServerProcessId,
});
// Long enough for tiered compilation to finish with the hot paths, so the measured phase sees steady-state code.
Console.WriteLine($"Warm-up: {warmup} s at {rate:N0}/s");
await Phase.RunAsync(publisher, consumerDb.ConnectionString, Math.Max(1000, rate * warmup), rate, cameras, writers, TimeSpan.FromSeconds(warmup * 3 + 60), _ => { });

Console.WriteLine($"Sustained: {rate * seconds:N0} events offered at {rate:N0}/s over {cameras:N0} aggregates, {writers} writers");
var cpu = new CpuUsage(new()
{
    ["publisher"] = () => [publisher.ProcessId],
    ["consumer"] = () => [consumer.ProcessId],
    ["broker"] = () => broker.ServerProcessId is { } pid ? [pid] : [],
    ["postgres"] = () => CpuUsage.PostgresProcesses(pgDataDirectory),
});
cpu.Start();
var sustained = await Phase.RunAsync(publisher, consumerDb.ConnectionString, rate * seconds, rate, cameras, writers,
    TimeSpan.FromSeconds(seconds * 2 + 60), Console.WriteLine);
var cpuSeconds = cpu.Stop();
PhaseResult? ceiling = null;
if (burst > 0)
{
    Console.WriteLine($"Ceiling: {burst:N0} events written as fast as {writers} writers can");
    ceiling = await Phase.RunAsync(publisher, consumerDb.ConnectionString, burst, 0, cameras, writers, TimeSpan.FromSeconds(burst / 200 + 60), Console.WriteLine);
}

Console.WriteLine();
Console.WriteLine($"{"",-28}{"measured",14}   target");
Row("sustained events/s (effects)", $"{sustained.EffectRate:N0}", $"≥ {TargetRate:N0}", sustained.EffectRate >= TargetRate);
Row("  commits/s offered→achieved", $"{rate:N0}→{sustained.CommitRate:N0}", "", null);
Row("commit→effect p50", $"{sustained.P50Ms:N1} ms", "", null);
Row("commit→effect p99", $"{sustained.P99Ms:N1} ms", $"< {TargetP99Ms:N0} ms", sustained.P99Ms < TargetP99Ms);
Row("commit→effect max", $"{sustained.MaxMs:N1} ms", "", null);
if (ceiling is not null)
{
    Row("ceiling events/s (effects)", $"{ceiling.EffectRate:N0}", "", null);
    Row("  commits/s unthrottled", $"{ceiling.CommitRate:N0}", "", null);
    Row("  commit→effect p50 / p99", $"{ceiling.P50Ms:N0} / {ceiling.P99Ms:N0} ms", "(queueing)", null);
}

foreach (var (name, peak, mean) in rss.Figures())
{
    Row($"RSS {name}", $"{peak:N0} MB peak", $"{mean:N0} MB mean", null);
}

Console.WriteLine($"CPU per event (sustained phase): {string.Join(", ", cpuSeconds.Select(c => $"{c.Key} {c.Value * 1000 / sustained.Events:N2} ms"))}"
    + $"; total {cpuSeconds.Values.Sum() * 1000 / sustained.Events:N2} ms → {2000 / (cpuSeconds.Values.Sum() * 1000 / sustained.Events):N0} events/s on 2 idle cores");
Console.WriteLine($"failed transactions: {sustained.Failed + (ceiling?.Failed ?? 0)}; load average {Phase.LoadAverage()} at end; logs in {TestEnvironment.ResultsDirectory}");
return sustained.EffectRate >= TargetRate && sustained.P99Ms < TargetP99Ms ? 0 : 1;

async Task<ServiceProcess> Start(TestDatabase database, bool consume) =>
    await ServiceProcess.StartReadyAsync("Messaging.TestHost", new Dictionary<string, string?>(extraEnvironment)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["ConnectionStrings__testdb"] = database.ConnectionString + (options.String("--pg-options") is { } pgOptions ? ";" + pgOptions : ""),
        ["ConnectionStrings__messaging"] = broker.Uri.ToString(),
        ["TestHost__Consume"] = consume ? "true" : "false",
        ["OTEL_SERVICE_NAME"] = consume ? "bench-consumer" : "bench-publisher",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Messaging__EndpointPrefix"] = "bench",
    }, TimeSpan.FromSeconds(90));

void Row(string name, string measured, string target, bool? pass) =>
    Console.WriteLine($"{name,-28}{measured,14}   {target}{(pass is null ? "" : pass.Value ? "  PASS" : "  FAIL")}");

