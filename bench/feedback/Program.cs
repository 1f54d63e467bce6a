// bench/feedback: with 1,000,000 synthetic responses, the indicator query (one region, one quarter, criterion breakdown)
// latency; survey submissions through the gateway per second, sustained; the service's working set. See README.md.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Npgsql;
using PublicSafety.Bench;
using PublicSafety.DevToken;

var options = new BenchArgs(args);
var responses = options.Int("--responses", 1_000_000);
var queries = options.Int("--queries", 1000);
var duration = TimeSpan.FromSeconds(options.Int("--duration", 30));
var workers = options.Int("--workers", 64);
var openInvitations = options.Int("--invitations", 150_000);

var feedbackDll = BenchMachine.BuiltDll("services/Feedback", "PublicSafety.Feedback");
var gatewayDll = BenchMachine.BuiltDll("gateway", "PublicSafety.Gateway");
if (!File.Exists(feedbackDll) || !File.Exists(gatewayDll))
{
    Console.Error.WriteLine("The Release builds are missing: run with 'dotnet run -c Release --project bench/feedback'.");
    return 2;
}

Console.WriteLine($"PublicSafety Feedback bench — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, .NET {Environment.Version}, {Environment.ProcessorCount} cores, load average {BenchMachine.LoadAverage()}");
var work = Directory.CreateTempSubdirectory("feedback-bench-");
var keyFile = Path.Combine(work.FullName, "key.pem");
var tokensFile = Path.Combine(work.FullName, "tokens.txt");
var devTokens = DevTokens.FromKeyFile(keyFile);
var exitCode = 0;
try
{
    await using var database = await BenchDatabase.CreateAsync("feedback_bench");
    var connectionString = database.ConnectionString;

    // 1. The synthetic dataset, through the service's own seed command (binary COPY).
    var seedWatch = Stopwatch.StartNew();
    using (var seed = BenchProcess.Start("seed", feedbackDll, WithBenchKey(new() { ["ConnectionStrings__feedbackdb"] = connectionString }), work.FullName,
        ["seed", "--responses", responses.ToString(), "--open-invitations", openInvitations.ToString(), "--tokens-out", tokensFile],
        onOutput: line => Console.WriteLine("  " + line)))
    {
        if (await seed.WaitForExitAsync() is var seedExit and not 0)
        {
            throw new InvalidOperationException($"the seed command failed ({seedExit}); see {work.FullName}/seed.log");
        }
    }

    var count = await database.CountAsync("SELECT count(*) FROM survey_responses");
    Console.WriteLine($"seeded {count:N0} responses (+ invitations, complaints, venues) in {seedWatch.Elapsed.TotalSeconds:F0} s with binary COPY");

    // 2. The service and the gateway, Release builds; the gateway's anonymous per-IP limit raised for the one load generator.
    using var service = BenchProcess.Start("feedback", feedbackDll, WithBenchKey(new()
    {
        ["ConnectionStrings__feedbackdb"] = connectionString,
        ["ConnectionStrings__messaging"] = BenchDatabase.Broker,
        ["Messaging__EndpointPrefix"] = database.Name,
        ["Messaging__EntityPrefix"] = database.Name + ".",
    }), work.FullName);
    using var gateway = BenchProcess.Start("gateway", gatewayDll, WithBenchKey(new()
    {
        ["services__feedback__http__0"] = service.BaseAddress.ToString(),
        ["Gateway__RateLimits__Anonymous__Burst"] = "100000000",
        ["Gateway__RateLimits__Anonymous__PermitsPerWindow"] = "100000000",
        ["Gateway__RateLimits__AnonymousWriteQuota__PerDay"] = "100000000",
    }), work.FullName);
    var handler = new SocketsHttpHandler { MaxConnectionsPerServer = workers, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
    using var analyst = new HttpClient(handler, disposeHandler: false) { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    analyst.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
        devTokens.Create(new TokenRequest { Client = "bench", Roles = ["feedback.read"], Lifetime = TimeSpan.FromHours(2) }));
    using var citizen = new HttpClient(handler, disposeHandler: false) { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    var memory = new ResidentSetSampler(service.Id);

    // 3. Indicator query: one region, one quarter, all five criteria; regions and quarters rotate so no cache helps.
    string[] regions = ["KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39", "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79"];
    string[] quarters = ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"];
    for (var i = 0; i < 100; i++)
    {
        (await analyst.GetAsync($"/api/feedback/indicators?region={regions[i % 20]}&period={quarters[i % 7]}")).Dispose();
    }

    var latencies = new List<double>(queries);
    var sampleResponses = 0L;
    using (memory.Sample())
    {
        for (var i = 0; i < queries; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await analyst.GetAsync($"/api/feedback/indicators?region={regions[i % 20]}&period={quarters[i / 20 % 7]}");
            var body = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                exitCode = 1;
            }

            sampleResponses += body?["verified"]?["responses"]?.GetValue<long>() ?? 0;
        }
    }

    latencies.Sort();
    Console.WriteLine($"indicator query (one region, one quarter, 5 criteria, verified + unverified, response rate): {queries} requests one at a time, " +
        $"p50 {Percentile.NearestRank(latencies, 0.50):F1} ms, p95 {Percentile.NearestRank(latencies, 0.95):F1} ms, p99 {Percentile.NearestRank(latencies, 0.99):F1} ms (target p95 < 100 ms); " +
        $"{sampleResponses / queries:N0} verified responses per query on average");

    // 4. Survey submissions through the gateway: closed loops, each takes the next unused token.
    var tokens = new ConcurrentQueue<string>(await File.ReadAllLinesAsync(tokensFile));
    var accepted = 0L;
    var failed = 0L;
    var submitLatencies = new ConcurrentBag<double>();
    var random = new Random(1);
    async Task<int> LoopAsync(TimeSpan length, bool measure)
    {
        var end = Stopwatch.StartNew();
        var done = 0;
        while (end.Elapsed < length && tokens.TryDequeue(out var token))
        {
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await citizen.PostAsJsonAsync("/api/feedback/public/surveys/responses", new
                {
                    token, overall = 1 + (done % 5), legality = 4, thoroughness = 5, timeliness = 3, respect = 5, informedness = 4,
                    comment = done % 10 == 0 ? "Synthetic bench comment: quick and polite, call +7 701 000 00 00" : null,
                });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    if (measure) Interlocked.Increment(ref accepted);
                }
                else if (measure)
                {
                    Interlocked.Increment(ref failed);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                if (measure) Interlocked.Increment(ref failed);
            }

            if (measure) submitLatencies.Add(watch.Elapsed.TotalMilliseconds);
            done++;
        }

        return done;
    }

    await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => LoopAsync(TimeSpan.FromSeconds(5), measure: false)));
    var cpuBefore = service.CpuTime() + gateway.CpuTime();
    var runWatch = Stopwatch.StartNew();
    using (memory.Sample())
    {
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => LoopAsync(duration, measure: true)));
    }

    var elapsed = runWatch.Elapsed.TotalSeconds;
    var cpu = service.CpuTime() + gateway.CpuTime() - cpuBefore;
    var sorted = submitLatencies.ToList();
    sorted.Sort();
    Console.WriteLine($"survey submissions through the gateway: {accepted:N0} accepted in {elapsed:F1} s = {accepted / elapsed:F0}/s with {workers} connections " +
        $"({failed} failed; p50 {Percentile.NearestRank(sorted, 0.50):F1} ms, p95 {Percentile.NearestRank(sorted, 0.95):F1} ms; service+gateway CPU {cpu.TotalSeconds / elapsed * 100:F0} % of one core, {cpu.TotalMilliseconds * 1000 / Math.Max(1, accepted):F0} µs per submission) (target ≥ 1,000/s)");
    if (tokens.IsEmpty)
    {
        Console.WriteLine("WARNING: the run used every open invitation; raise --invitations for a longer run.");
    }

    var stored = await database.CountAsync("SELECT count(*) FROM survey_responses");
    var expected = count + accepted;
    Console.WriteLine($"responses stored: {stored:N0} (seeded {count:N0} + accepted {accepted:N0} + warm-up); one per invitation: " +
        $"{await database.CountAsync("SELECT count(*) - count(DISTINCT invitation_id) FROM survey_responses WHERE invitation_id IS NOT NULL")} duplicates");
    Console.WriteLine($"service working set: peak {memory.PeakBytes / 1048576} MB, mean {memory.MeanBytes / 1048576} MB (target < 300 MB)");
    Console.WriteLine($"load average at the end: {BenchMachine.LoadAverage()}");
    if (failed > 0 || stored < expected)
    {
        exitCode = 1;
    }
}
catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or NpgsqlException or SocketException or HttpRequestException)
{
    Console.Error.WriteLine($"bench failed: {ex.Message}; logs in {work.FullName}");
    return 2;
}

return exitCode;

// What every process of the bench gets besides its own settings: the bench's signing key, and no console in the figures.
Dictionary<string, string> WithBenchKey(Dictionary<string, string> own)
{
    own["Keycloak__DevelopmentSigningKeyFile"] = keyFile;
    own["DOTNET_ENVIRONMENT"] = "Development";
    return own;
}
