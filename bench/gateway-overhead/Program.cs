using System.Diagnostics;
using System.Net.Sockets;
using Npgsql;
using PublicSafety.Bench;
using PublicSafety.Bench.GatewayOverhead;
using PublicSafety.DevToken;

// Gateway overhead on loopback (issue 2, "Benchmark"): GET /api/feedback/me with a feedback.read token, sent to the
// Feedback service directly and through the gateway, in one run. See bench/README.md.
var options = BenchOptions.Parse(args);
var configuration = BenchMachine.Configuration;
var workDir = Directory.CreateTempSubdirectory("publicsafety-bench-");
var database = $"bench_gateway_{Guid.NewGuid():N}"[..28];
var planned = 3 * (options.Warmup + options.Duration) + 3 * options.Rounds * TimeSpan.FromSeconds(1)
    + 2 * (TimeSpan.FromSeconds(1) + options.LatencyDuration);

Console.WriteLine($"PublicSafety gateway overhead — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, .NET {Environment.Version}, {Environment.ProcessorCount} cores, {configuration} build");
Console.WriteLine($"Load: {options.Connections} connections, {options.Warmup.TotalSeconds:0} s warm-up, then {options.Duration.TotalSeconds:0} s measured per target " +
    $"in {options.Rounds} alternating rounds; then 1 connection for {options.LatencyDuration.TotalSeconds:0} s per target (unloaded latency). " +
    $"About {planned.TotalSeconds + 20:0} s in all.");
Console.WriteLine($"Load average (1/5/15 min) at the start: {BenchMachine.LoadAverage()} — other work on this machine competes with the measurement.");
if (configuration != "Release")
{
    Console.WriteLine("WARNING: not a Release build; run with 'dotnet run -c Release --project bench/gateway-overhead'.");
}

BenchProcess? feedback = null, gateway = null, bare = null;
var keepLogs = false;
using var watchdog = new Timer(_ =>
{
    Console.Error.WriteLine("The bench overran its time budget; stopping.");
    feedback?.Dispose();
    gateway?.Dispose();
    bare?.Dispose();
    Environment.Exit(3);
}, null, planned + TimeSpan.FromMinutes(3), Timeout.InfiniteTimeSpan);
Console.CancelKeyPress += (_, _) =>
{
    feedback?.Dispose();
    gateway?.Dispose();
    bare?.Dispose();
};

try
{
    await RequireServersAsync(options);
    await ExecuteAsync(options.Postgres, $"CREATE DATABASE \"{database}\"");
    var keyFile = Path.Combine(workDir.FullName, "signing-key.pem");
    var token = DevTokens.FromKeyFile(keyFile).Create(new TokenRequest
    {
        Client = "bench-client", Roles = ["feedback.read"], Lifetime = planned + TimeSpan.FromMinutes(10),
    });

    feedback = BenchProcess.Start("feedback", BenchMachine.BuiltDll("services/Feedback", "PublicSafety.Feedback"), new Dictionary<string, string>
    {
        ["Keycloak__DevelopmentSigningKeyFile"] = keyFile,
        ["ConnectionStrings__feedbackdb"] = new NpgsqlConnectionStringBuilder(options.Postgres) { Database = database }.ConnectionString,
        ["ConnectionStrings__messaging"] = options.Rabbit,
    }, workDir.FullName);
    await feedback.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    // The runtime settings of the gateway's image, for the gateway and for its yardstick alike.
    var gatewayImage = BenchMachine.ImageEnvironment("gateway/PublicSafety.Gateway.csproj");
    gateway = BenchProcess.Start("gateway", BenchMachine.BuiltDll("gateway", "PublicSafety.Gateway"), new Dictionary<string, string>
    {
        ["Keycloak__DevelopmentSigningKeyFile"] = keyFile,
        ["services__feedback__http__0"] = feedback.BaseAddress.ToString(),
        // The limiter still runs on every request; its limit is raised so that it never rejects the bench's one client.
        ["Gateway__RateLimits__PerClient__Burst"] = "100000000",
        ["Gateway__RateLimits__PerClient__PermitsPerWindow"] = "100000000",
    }.Concat(gatewayImage).ToDictionary(), workDir.FullName);
    await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    // The yardstick: YARP alone, in the same rounds, so that the machine's load falls on both proxies alike.
    bare = BenchProcess.Start("bare proxy", BenchMachine.BuiltDll("bench/bare-proxy", "PublicSafety.Bench.BareProxy"), new Dictionary<string, string>
    {
        ["services__feedback__http__0"] = feedback.BaseAddress.ToString(),
    }.Concat(gatewayImage).ToDictionary(), workDir.FullName);
    await bare.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

    var direct = new Uri(feedback.BaseAddress, "/api/feedback/me");
    var proxied = new Uri(gateway.BaseAddress, "/api/feedback/me");
    var bareProxied = new Uri(bare.BaseAddress, "/api/feedback/me");
    await RequireSameAnswerAsync(direct, proxied, token);
    await RequireSameAnswerAsync(direct, bareProxied, token);

    // Warm-up of both (JIT, connection pools, the service's database pool), then alternating measured rounds.
    Console.WriteLine("Warming up ...");
    await LoadRun.RunAsync(direct, token, options.Connections, options.Warmup, TimeSpan.FromSeconds(1));
    await LoadRun.RunAsync(proxied, token, options.Connections, options.Warmup, TimeSpan.FromSeconds(1));
    await LoadRun.RunAsync(bareProxied, token, options.Connections, options.Warmup, TimeSpan.FromSeconds(1));
    var round = options.Duration / options.Rounds;
    var rampUp = TimeSpan.FromSeconds(1);
    List<LoadSample> directRounds = [], gatewayRounds = [], bareRounds = [];
    var memory = new ResidentSetSampler(gateway.Id);
    BenchProcess[] measured = [feedback, gateway, bare];
    CpuMeter directCpu = new(measured), gatewayCpu = new(measured), bareCpu = new(measured);
    for (var i = 1; i <= options.Rounds; i++)
    {
        directRounds.Add(await LoadRun.RunAsync(direct, token, options.Connections, rampUp, round, directCpu.Measure));
        gatewayRounds.Add(await LoadRun.RunAsync(proxied, token, options.Connections, rampUp, round,
            () => new CompositeDisposable(gatewayCpu.Measure(), memory.Sample())));
        bareRounds.Add(await LoadRun.RunAsync(bareProxied, token, options.Connections, rampUp, round, bareCpu.Measure));

        Console.WriteLine($"  round {i}/{options.Rounds}: direct {directRounds[^1].RequestsPerSecond:0} req/s, gateway {gatewayRounds[^1].RequestsPerSecond:0} req/s, " +
            $"bare proxy {bareRounds[^1].RequestsPerSecond:0} req/s, load average {BenchMachine.LoadAverage()}");
    }

    Console.WriteLine("Unloaded latency (1 connection) ...");
    List<LoadSample> directSingle = [], gatewaySingle = [];
    for (var i = 0; i < 2; i++)
    {
        directSingle.Add(await LoadRun.RunAsync(direct, token, 1, TimeSpan.FromSeconds(0.5), options.LatencyDuration / 2));
        gatewaySingle.Add(await LoadRun.RunAsync(proxied, token, 1, TimeSpan.FromSeconds(0.5), options.LatencyDuration / 2));
    }

    var directLoaded = LoadResult.Of("direct", options.Connections, directRounds);
    var gatewayLoaded = LoadResult.Of("gateway", options.Connections, gatewayRounds);
    Report.Print(directLoaded, gatewayLoaded, LoadResult.Of("direct", 1, directSingle), LoadResult.Of("gateway", 1, gatewaySingle),
        memory.PeakBytes, memory.MeanBytes);
    var bareLoaded = LoadResult.Of("bare proxy", options.Connections, bareRounds);
    Report.PrintCpu(directCpu.PerRequestMicroseconds(directLoaded.Requests), gatewayCpu.PerRequestMicroseconds(gatewayLoaded.Requests),
        bareCpu.PerRequestMicroseconds(bareLoaded.Requests), bareLoaded.RequestsPerSecond / directLoaded.RequestsPerSecond);
    Console.WriteLine($"Load average (1/5/15 min) at the end: {File.ReadAllText("/proc/loadavg").Trim()}");
    return directLoaded.Errors + gatewayLoaded.Errors == 0 ? 0 : 1;
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or NpgsqlException or SocketException or HttpRequestException)
{
    Console.Error.WriteLine($"bench failed: {ex.Message}");
    Console.Error.WriteLine($"process logs: {workDir.FullName}");
    keepLogs = true;
    return 2;
}
finally
{
    bare?.Dispose();
    gateway?.Dispose();
    feedback?.Dispose();
    try
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(options.Postgres, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }
    catch (NpgsqlException)
    {
    }

    if (!keepLogs)
    {
        workDir.Delete(recursive: true);
    }
}


static async Task RequireServersAsync(BenchOptions options)
{
    try
    {
        await ExecuteAsync(options.Postgres, "SELECT 1");
    }
    catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
    {
        throw new InvalidOperationException(
            $"PostgreSQL is not reachable ({ex.Message}). Start the local stack's servers (./build.sh up) or set PUBLICSAFETY_TEST_PG.");
    }

    var rabbit = new Uri(options.Rabbit);
    using var tcp = new TcpClient();
    try
    {
        await tcp.ConnectAsync(rabbit.Host, rabbit.Port).WaitAsync(TimeSpan.FromSeconds(5));
    }
    catch (Exception ex) when (ex is SocketException or TimeoutException)
    {
        throw new InvalidOperationException(
            $"RabbitMQ is not reachable at {rabbit.Host}:{rabbit.Port}. Start the local stack's servers (./build.sh up) or set PUBLICSAFETY_TEST_RABBIT.");
    }
}

static async Task ExecuteAsync(string connectionString, string sql)
{
    var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5, Pooling = false };
    await using var connection = new NpgsqlConnection(builder.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

static async Task RequireSameAnswerAsync(Uri direct, Uri proxied, string token)
{
    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    client.DefaultRequestHeaders.Authorization = new("Bearer", token);
    var a = await client.GetStringAsync(direct);
    var b = await client.GetStringAsync(proxied);
    if (a != b)
    {
        throw new InvalidOperationException($"direct and proxied answers differ: {a} vs {b}");
    }
}
