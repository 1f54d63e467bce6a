// Issue 8 benchmark: fixation ingestion through the gateway in batches (target >= 5,000 fixations/s sustained, p99 batch
// acknowledgement < 200 ms), accident-concentration sites over 100,000 accidents (target < 2 s), and the service's
// working set (target < 300 MB). All data is SYNTHETIC.
// Usage: dotnet run -c Release --project bench/road-safety -- [--rate 5000] [--seconds 60] [--batch 500] [--devices 400] [--accidents 100000]
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PublicSafety.Bench;
using PublicSafety.DevToken;
using PublicSafety.Testing;

var options = new BenchArgs(args);
var rate = options.Int("--rate", 5000);
var seconds = options.Int("--seconds", 60);
var batchSize = options.Int("--batch", 500);
var deviceCount = options.Int("--devices", 400);
var accidentCount = options.Int("--accidents", 100_000);
const int Vendors = 4;

Console.WriteLine($"RoadSafety bench - {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, .NET {Environment.Version}, {Environment.ProcessorCount} cores, {TestEnvironment.Configuration}");
Console.WriteLine($"load: {rate} fixations/s in batches of {batchSize} for {seconds} s over {deviceCount} devices of {Vendors} vendors; hotspots over {accidentCount} accidents");
Console.WriteLine($"load average before start: {File.ReadAllText("/proc/loadavg").Trim()}");

var (service, database) = await ServiceProcess.StartWithDatabaseAsync("RoadSafety", new Dictionary<string, string?>
{
    ["Logging__LogLevel__Default"] = "Warning",
    ["Grpc__Url"] = $"http://127.0.0.1:{FreePort.Next()}",
});
await using (service)
await using (database)
{
    await using var gateway = await ServiceProcess.StartReadyAsync("Gateway", new Dictionary<string, string?>
    {
        ["services__road-safety__http__0"] = service.BaseAddress.ToString(),
        ["Logging__LogLevel__Default"] = "Warning",
        // One bench client per vendor posts 2-3 batches a second: the default per-client limit (100/s) is kept.
    });

    var devices = await SeedDevicesAsync(database.ConnectionString, deviceCount, Vendors);
    var rss = new ResidentSetSampler(service.ProcessId);
    using var sampling = rss.Sample();

    // --- Ingestion through the gateway ---------------------------------------------------------------------------------
    var clients = Enumerable.Range(0, Vendors).Select(v =>
    {
        var client = gateway.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["roadsafety.ingest"], Client = $"bench-vendor-{v}", Lifetime = TimeSpan.FromHours(2) }));
        client.Timeout = TimeSpan.FromSeconds(30);
        return client;
    }).ToArray();
    var sequences = new long[devices.Count];
    var random = new Random(8);
    var start = DateTimeOffset.UtcNow;

    var sectionEnds = devices.Select((d, i) => (d, i)).Where(x => x.d.Kind == "section").ToArray();
    string Plate() => $"{random.Next(1000):D3}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}{random.Next(1, 20):D2}";
    JsonObject Passage((Guid Id, int Vendor, string Kind) device, int index, DateTimeOffset at, string plate) => new()
    {
        ["deviceId"] = device.Id, ["sequence"] = Interlocked.Increment(ref sequences[index]), ["occurredAt"] = at, ["plate"] = plate,
        ["speedKmh"] = 70 + random.Next(40), ["limitKmh"] = 90, ["lane"] = 1,
    };

    JsonObject[] NextBatch(int vendor, DateTimeOffset now)
    {
        var own = devices.Select((d, i) => (d, i)).Where(x => x.d.Vendor == vendor && x.d.Kind != "section").ToArray();
        var ownSections = sectionEnds.Where(x => x.d.Vendor == vendor).Chunk(2).Where(p => p.Length == 2).ToArray();
        var batch = new JsonObject[batchSize];
        for (var k = 0; k < batchSize; k++)
        {
            if (k + 1 < batchSize && ownSections.Length > 0 && random.Next(10) == 0)
            {
                // A car through a section: its entry and its exit (average 45-120 km/h over 5 km).
                var pair = ownSections[random.Next(ownSections.Length)];
                var plate = Plate();
                var exitAt = now.AddMilliseconds(-random.Next(5000));
                batch[k++] = Passage(pair[0].d, pair[0].i, exitAt.AddSeconds(-(150 + random.Next(250))), plate);
                batch[k] = Passage(pair[1].d, pair[1].i, exitAt, plate);
                continue;
            }

            var (device, index) = own[random.Next(own.Length)];
            var seq = Interlocked.Increment(ref sequences[index]);
            var speeding = random.Next(10) == 0;
            batch[k] = new JsonObject
            {
                ["deviceId"] = device.Id, ["sequence"] = seq, ["occurredAt"] = now.AddMilliseconds(-random.Next(5000)),
                ["plate"] = Plate(),
                ["speedKmh"] = speeding ? 95 + random.Next(40) : 40 + random.Next(45), ["limitKmh"] = 80, ["lane"] = 1 + random.Next(3),
                ["violationCode"] = speeding ? "speeding" : null,
                ["evidence"] = speeding ? new JsonArray(new JsonObject { ["kind"] = "photo", ["id"] = $"ph-{Guid.NewGuid():N}", ["sha256"] = new string('e', 64) }) : null,
            };
        }

        return batch;
    }

    var latencies = new List<double>();
    var counts = new long[5]; // accepted, duplicate, inadmissible, rejected, failed batches
    Console.WriteLine("warming up (5 s at a tenth of the rate) ...");
    await RunLoadAsync(rate / 10, 5, record: false);
    Console.WriteLine("measuring ...");
    var elapsed = await RunLoadAsync(rate, seconds, record: true);
    latencies.Sort();
    var fixations = counts[0] + counts[2];
    Console.WriteLine($"ingestion: {fixations} fixations stored in {elapsed:0.0} s = {fixations / elapsed:0} fixations/s (target >= 5000); " +
                      $"duplicates {counts[1]}, rejected {counts[3]}, failed batches {counts[4]}");
    Console.WriteLine($"batch ack ({latencies.Count} batches of {batchSize}, retries included): p50 {Percentile.NearestRank(latencies, 0.50):0} ms, p95 {Percentile.NearestRank(latencies, 0.95):0} ms, p99 {Percentile.NearestRank(latencies, 0.99):0} ms (target < 200), max {latencies.LastOrDefault():0} ms");
    var ingestPeak = rss.PeakBytes / 1048576.0;
    await using (var db = new NpgsqlConnection(database.ConnectionString))
    {
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*), count(*) FILTER (WHERE outcome = 'violation') FROM section_passages", db);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        Console.WriteLine($"average-speed sections: {r.GetInt64(0)} passages matched, {r.GetInt64(1)} violations");
    }


    // --- Hotspots over 100,000 accidents ------------------------------------------------------------------------------
    await SeedAccidentsAsync(database.ConnectionString, accidentCount);
    using var reader = gateway.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["roadsafety.read"], Client = "bench-reader", Lifetime = TimeSpan.FromHours(1) }));
    reader.Timeout = TimeSpan.FromSeconds(60);
    var runs = new List<(double Wall, double Db, int Sites)>();
    for (var i = 0; i < 6; i++)
    {
        var watch = Stopwatch.StartNew();
        var list = (await reader.GetFromJsonAsync<JsonObject>("/api/roadsafety/hotspots?limit=100"))!;
        runs.Add((watch.Elapsed.TotalMilliseconds, list["computedInMs"]!.GetValue<double>(), list["total"]!.GetValue<int>()));
    }

    var measured = runs.Skip(1).ToArray(); // the first pays for plan and caches
    Console.WriteLine($"hotspots over {accidentCount} accidents: {measured[0].Sites} sites; wall through the gateway median {Median(measured.Select(r => r.Wall))} ms, " +
                      $"max {measured.Max(r => r.Wall):0} ms (target < 2000); query {Median(measured.Select(r => r.Db))} ms; first run {runs[0].Wall:0} ms");
    Console.WriteLine($"working set of RoadSafety: peak {rss.PeakBytes / 1048576.0:0} MB during ingestion {ingestPeak:0} MB (target < 300 MB); now {ProcMemory.ResidentBytes(service.ProcessId) / 1048576.0:0} MB");
    Console.WriteLine($"load average at the end: {File.ReadAllText("/proc/loadavg").Trim()}");

    async Task<double> RunLoadAsync(int perSecond, int duration, bool record)
    {
        var batchesPerSecond = (double)perSecond / batchSize;
        var total = (int)Math.Round(batchesPerSecond * duration);
        var watch = Stopwatch.StartNew();
        var inflight = new List<Task>(total);
        for (var b = 0; b < total; b++)
        {
            // Open loop: batches leave on schedule whether or not earlier ones were answered (a slow service shows as latency).
            var due = TimeSpan.FromSeconds(b / batchesPerSecond);
            if (due > watch.Elapsed) await Task.Delay(due - watch.Elapsed);
            var vendor = b % Vendors;
            var body = new JsonObject { ["fixations"] = new JsonArray(NextBatch(vendor, DateTimeOffset.UtcNow)) };
            var retried = b % 20 == 19;
            inflight.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.StartNew();
                try
                {
                    // Every 20th batch is posted twice, as a vendor does when an answer is lost: the retry must be all duplicates.
                    for (var attempt = 0; attempt < (retried ? 2 : 1); attempt++)
                    {
                        sent.Restart();
                        using var response = await clients[vendor].PostAsJsonAsync("/api/roadsafety/fixations/batches", body);
                        var answer = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
                        var ms = sent.Elapsed.TotalMilliseconds;
                        if (!record) continue;
                        lock (latencies)
                        {
                            if (answer is null)
                            {
                                counts[4]++;
                                continue;
                            }

                            latencies.Add(ms);
                            counts[0] += answer["accepted"]!.GetValue<int>();
                            counts[1] += answer["duplicates"]!.GetValue<int>();
                            counts[2] += answer["inadmissible"]!.GetValue<int>();
                            counts[3] += answer["rejected"]!.GetValue<int>();
                        }
                    }
                }
                catch (Exception) when (record)
                {
                    lock (latencies) counts[4]++;
                }
            }));
        }

        await Task.WhenAll(inflight);
        return watch.Elapsed.TotalSeconds;
    }
}

static async Task<List<(Guid Id, int Vendor, string Kind)>> SeedDevicesAsync(string connectionString, int count, int vendors)
{
    // SYNTHETIC devices: active, verified for a year each side of now, spread over southern Kazakhstan; the first 40 are
    // the entry and exit devices of 20 average-speed sections (both ends with one vendor).
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    await using var cmd = new NpgsqlCommand("""
        INSERT INTO devices (id, kind, vendor_client_id, vendor, model, serial_number, approval_number, approval_valid_until, region, location, owner, status)
        SELECT md5('bench-device-' || g)::uuid, CASE WHEN g <= 40 THEN 'section' ELSE 'instant_speed' END,
               'bench-vendor-' || (CASE WHEN g <= 40 THEN (g + 1) / 2 ELSE g END % @vendors), 'Synthetic vendor', 'Synthetic', 'SYN-' || g, 'SYN', '2099-12-31',
               'KZ-31', ST_SetSRID(ST_MakePoint(69 + random() * 8, 42 + random() * 2), 4326)::geography, 'road_authority', 'active'
        FROM generate_series(1, @n) g;
        INSERT INTO device_verifications (id, device_id, certificate_number, verifying_body, verified_at, valid_until)
        SELECT gen_random_uuid(), id, 'SYN-' || id, 'Synthetic body', now() - interval '1 year', now() + interval '1 year' FROM devices;
        INSERT INTO sections (id, name, region, entry_device_id, exit_device_id, length_m, speed_limit_kmh, max_travel_seconds)
        SELECT gen_random_uuid(), 'Synthetic section ' || k, 'KZ-31', md5('bench-device-' || (2 * k - 1))::uuid, md5('bench-device-' || (2 * k))::uuid, 5000, 90, 900
        FROM generate_series(1, 20) k;
        ANALYZE devices; ANALYZE device_verifications; ANALYZE sections;
        """, db);
    cmd.Parameters.AddWithValue("n", count);
    cmd.Parameters.AddWithValue("vendors", vendors);
    await cmd.ExecuteNonQueryAsync();
    await using var read = new NpgsqlCommand("SELECT id, right(vendor_client_id, 1)::int, kind FROM devices ORDER BY substr(serial_number, 5)::int", db);
    var list = new List<(Guid, int, string)>();
    await using var reader = await read.ExecuteReaderAsync();
    while (await reader.ReadAsync()) list.Add((reader.GetGuid(0), reader.GetInt32(1), reader.GetString(2)));
    return list;
}

static async Task SeedAccidentsAsync(string connectionString, int count)
{
    // SYNTHETIC accidents: 70 % around 3,000 black spots along roads (within ~1.5 km), the rest scattered over the country;
    // three quarters with casualties, all in the last 12 months.
    var watch = Stopwatch.StartNew();
    await using var db = new NpgsqlConnection(connectionString);
    await db.OpenAsync();
    await using var cmd = new NpgsqlCommand("""
        CREATE TEMP TABLE spots AS
        SELECT s AS n, 46.5 + random() * 40.5 AS lon, 40.6 + random() * 14.8 AS lat FROM generate_series(0, 2999) s;
        INSERT INTO accidents (id, occurred_at, region, road, location, deaths, injuries, cause)
        SELECT gen_random_uuid(), now() - random() * interval '360 days', 'KZ-31', 'synthetic',
               CASE WHEN g % 10 < 7
                    THEN ST_SetSRID(ST_MakePoint(sp.lon + (random() - 0.5) * 0.02, sp.lat + (random() - 0.5) * 0.015), 4326)::geography
                    ELSE ST_SetSRID(ST_MakePoint(46.5 + random() * 40.5, 40.6 + random() * 14.8), 4326)::geography END,
               CASE WHEN random() < 0.08 THEN 1 ELSE 0 END, CASE WHEN g % 4 = 0 THEN 0 ELSE 1 + (random() * 2)::int END, 'speeding'
        FROM generate_series(1, @n) g JOIN spots sp ON sp.n = g % 3000;
        ANALYZE accidents;
        """, db) { CommandTimeout = 600 };
    cmd.Parameters.AddWithValue("n", count);
    await cmd.ExecuteNonQueryAsync();
    Console.WriteLine($"seeded {count} synthetic accidents in {watch.Elapsed.TotalSeconds:0.0} s");
}

static string Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return $"{sorted[sorted.Length / 2]:0}";
}

