// bench/crisis-capacity: availability search latency with 2,000 facilities, reserve/release throughput with zero
// overbooking (checked during and after the run), and the service's working set. See README.md.
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PublicSafety.Bench;
using PublicSafety.DevToken;

var options = new BenchArgs(args);
var facilities = options.Int("--facilities", 2000);
var searches = options.Int("--searches", 2000);
var duration = TimeSpan.FromSeconds(options.Int("--duration", 20));
var workers = options.Int("--workers", 32);
var hotFacilities = options.Int("--hot", 20);
const int BedsPerHotFacility = 2;

var work = Directory.CreateTempSubdirectory("crisis-bench-");
var keyFile = Path.Combine(work.FullName, "key.pem");
var tokens = DevTokens.FromKeyFile(keyFile);
await using var database = await BenchDatabase.CreateAsync("crisis_bench", postgis: true);
var connectionString = database.ConnectionString;
using var service = BenchProcess.Start("crisis-capacity", BenchMachine.BuiltDll("services/CrisisCapacity", "PublicSafety.CrisisCapacity"), new Dictionary<string, string>
{
    ["Keycloak__DevelopmentSigningKeyFile"] = keyFile,
    ["ConnectionStrings__crisisdb"] = connectionString,
    ["ConnectionStrings__messaging"] = BenchDatabase.Broker,
    ["Grpc__Url"] = $"http://127.0.0.1:{BenchMachine.FreePort()}",
}, work.FullName);
var handler = new SocketsHttpHandler { MaxConnectionsPerServer = workers * 2 };
using var reader = Client(handler, tokens, "crisis.read", service.BaseAddress);
using var placement = Client(handler, tokens, "crisis.placement", service.BaseAddress);
await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

// 2,000 facilities spread over Kazakhstan; the first `hot` have few beds so that reservations contend.
var ids = await SeedAsync(connectionString, facilities, hotFacilities);
Console.WriteLine($"seeded {facilities} facilities ({hotFacilities} hot ones with {BedsPerHotFacility} women beds each); logs in {work.FullName}");

var memory = new ResidentSetSampler(service.Id);
var sampling = memory.Sample();

// Search latency: warm-up, then one request at a time from random points, 100 km radius, women beds.
var random = new Random(2026);
// Half near a random point (100 km), half by region: every bench facility is in KZ-75, so that is the worst case.
var searchCount = 0;
string SearchUrl() => searchCount++ % 2 == 0
    ? $"/api/crisis/availability?lat={41 + random.NextDouble() * 13:F4}&lon={50 + random.NextDouble() * 35:F4}&radiusKm=100&category=women&limit=20"
    : $"/api/crisis/availability?region=KZ-75&children={random.Next(3)}&limit=20";
for (var i = 0; i < 200; i++)
{
    (await reader.GetAsync(SearchUrl())).EnsureSuccessStatusCode();
}

var latencies = new List<double>(searches);
for (var i = 0; i < searches; i++)
{
    var sw = Stopwatch.StartNew();
    using var response = await reader.GetAsync(SearchUrl());
    response.EnsureSuccessStatusCode();
    latencies.Add(sw.Elapsed.TotalMilliseconds);
}

latencies.Sort();
Console.WriteLine($"search: {searches} requests, p50 {Percentile.NearestRank(latencies, 0.50):F1} ms, p95 {Percentile.NearestRank(latencies, 0.95):F1} ms, p99 {Percentile.NearestRank(latencies, 0.99):F1} ms (target p95 < 50 ms)");

// Reserve/release: closed loop; every hold is released at once. Client-side counts prove no overbooking during
// the run: a hold is counted after the service confirmed it and uncounted before its release is sent, so the count
// never exceeds what the service holds.
var held = new int[hotFacilities];
var maxHeld = new int[hotFacilities];
long ops = 0, conflicts = 0, failures = 0;
var stop = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
{
    var r = new Random(w);
    while (stop.Elapsed < duration)
    {
        var f = r.Next(hotFacilities);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/crisis/reservations")
        {
            Content = JsonContent.Create(new { facilityId = ids[f], category = "women", caseCode = $"BN-2026-{r.Next():X8}", beds = 1 }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await placement.SendAsync(request);
        Interlocked.Increment(ref ops);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            Interlocked.Increment(ref conflicts);
            continue;
        }

        if (response.StatusCode != HttpStatusCode.Created)
        {
            Interlocked.Increment(ref failures);
            continue;
        }

        var now = Interlocked.Increment(ref held[f]);
        lock (maxHeld)
        {
            maxHeld[f] = Math.Max(maxHeld[f], now);
        }

        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        Interlocked.Decrement(ref held[f]);
        using var release = await placement.DeleteAsync($"/api/crisis/reservations/{id}");
        Interlocked.Increment(ref ops);
        if (release.StatusCode != HttpStatusCode.NoContent)
        {
            Interlocked.Increment(ref failures);
        }
    }
})));
var seconds = stop.Elapsed.TotalSeconds;
sampling.Dispose();

var overbookedDuring = maxHeld.Count(m => m > BedsPerHotFacility);
var overbookedAfter = await database.CountAsync("SELECT count(*) FROM bed_availability WHERE available < 0");
var heldAfter = await database.CountAsync("SELECT count(*) FROM reservations WHERE status = 'held'");
Console.WriteLine($"reserve/release: {ops} operations in {seconds:F1} s = {ops / seconds:F0} ops/s with {workers} workers " +
                  $"({conflicts} full-facility conflicts, {failures} failures; target 500 ops/s)");
Console.WriteLine($"overbooking: {overbookedDuring} facilities over capacity during the run, {overbookedAfter} categories below zero after it, {heldAfter} holds left");
Console.WriteLine($"working set: peak {memory.PeakBytes / 1024.0 / 1024:F0} MB (target < 300 MB)");
var exitCode = failures == 0 && overbookedDuring == 0 && overbookedAfter == 0 ? 0 : 1;

return exitCode;

static HttpClient Client(SocketsHttpHandler handler, DevTokens tokens, string role, Uri service)
{
    var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = service, Timeout = TimeSpan.FromSeconds(10) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
        tokens.Create(new TokenRequest { Roles = [role], Client = "bench", User = "bench", Lifetime = TimeSpan.FromHours(1) }));
    return client;
}

static async Task<Guid[]> SeedAsync(string connectionString, int count, int hot)
{
    // The schema is the service's; wait until its migrations created the tables.
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var cmd = new NpgsqlCommand("""
        INSERT INTO facilities (id, kind, name, region, settlement, location, confidential_address, accepts_children, accessible, open_at_night, synthetic)
        SELECT gen_random_uuid(), 'crisis_centre_ngo', 'Bench centre ' || i, 'KZ-75', 'Bench',
               ST_SetSRID(ST_MakePoint(50 + random() * 35, 41 + random() * 13), 4326)::geography, 'Bench address ' || i, true, i % 3 = 0, true, true
        FROM generate_series(1, @n) AS i;
        INSERT INTO bed_categories (facility_id, category, total, out_of_service)
        SELECT id, c, CASE WHEN c = 'women' THEN 4 + (abs(hashtext(id::text)) % 20) ELSE 6 END, 0
        FROM facilities, unnest(ARRAY['women', 'women_with_children', 'minors']) AS c;
        """, connection);
    cmd.Parameters.AddWithValue("n", count);
    await cmd.ExecuteNonQueryAsync();
    await using var pick = new NpgsqlCommand($"SELECT id FROM facilities ORDER BY id LIMIT {hot}", connection);
    var ids = new List<Guid>();
    await using (var reader = await pick.ExecuteReaderAsync())
    {
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
    }

    await using var hotBeds = new NpgsqlCommand("UPDATE bed_categories SET total = 2 WHERE category = 'women' AND facility_id = ANY(@ids)", connection);
    hotBeds.Parameters.AddWithValue("ids", ids.ToArray());
    await hotBeds.ExecuteNonQueryAsync();
    await using var analyze = new NpgsqlCommand("ANALYZE", connection);
    await analyze.ExecuteNonQueryAsync();
    return ids.ToArray();
}
