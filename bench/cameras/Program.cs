// Issue 7 benchmark: N cameras (default 200,000) each reporting once a minute (N/60 heartbeats/s, in batches), offline
// detection time for cameras that stop reporting, radius search p95, and the service's working set.
// Usage: dotnet run -c Release --project bench/cameras -- [--cameras 200000] [--seconds 150] [--batch 500] [--searches 2000] [--dataset uniform|synthetic]
// --dataset synthetic loads the service's own synthetic national dataset (`PublicSafety.Cameras seed --cameras N`: settlements,
// mixed statuses, cameras clustered in towns) and heartbeats its monitored cameras (installed, active, maintenance); radius
// searches are then centred on random cameras, i.e. mostly in dense cities. uniform (the default): N active cameras spread
// evenly over Kazakhstan's bounding box, inserted with SQL.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using PublicSafety.Bench;
using PublicSafety.DevToken;
using PublicSafety.Testing;

var options = new BenchArgs(args);
var cameras = options.Int("--cameras", 200_000);
var seconds = options.Int("--seconds", 150);
var batchSize = options.Int("--batch", 500);
var searches = options.Int("--searches", 2000);
var dataset = options.String("--dataset", "uniform");
if (dataset is not ("uniform" or "synthetic")) throw new ArgumentException("--dataset is uniform or synthetic.");
const int Silenced = 100;

Console.WriteLine($"cameras={cameras} dataset={dataset} duration={seconds}s batch={batchSize}");
var (service, database) = await ServiceProcess.StartWithDatabaseAsync("Cameras", new Dictionary<string, string?>
{
    ["Logging__LogLevel__Default"] = "Warning",
    ["Cameras__Health__OfflineAfter"] = "00:01:30",
    ["Cameras__Health__SweepInterval"] = "00:00:15",
});
await using (service)
await using (database)
{
    var seed = Stopwatch.StartNew();
    if (dataset == "synthetic")
    {
        // The service's seed command, as an operator runs it (SYNTHETIC DATA, labelled in every row).
        var binDir = Path.Combine(TestEnvironment.RepositoryRoot, "services/Cameras", "bin", TestEnvironment.Configuration, "net10.0");
        var info = new ProcessStartInfo("dotnet", ["PublicSafety.Cameras.dll", "seed", "--cameras", cameras.ToString(CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = binDir,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in ServiceProcess.EnvironmentFor("Cameras", database.ConnectionString)) info.Environment[key] = value;
        using var seeder = Process.Start(info)!;
        await seeder.WaitForExitAsync();
        if (seeder.ExitCode != 0) throw new InvalidOperationException($"seed exited with {seeder.ExitCode}");
    }
    else
    {
        // Synthetic cameras spread over Kazakhstan's bounding box (SYNTHETIC DATA), all active.
        await using var db = new NpgsqlConnection(database.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO cameras (id, name, kind, status, region, location, settlement, synthetic)
            SELECT gen_random_uuid(), 'synthetic-' || g, 'fixed', 'active', 'KZ-75',
                   ST_SetSRID(ST_MakePoint(46.5 + random() * 40.5, 40.6 + random() * 14.8), 4326)::geography, 'synthetic', true
            FROM generate_series(1, @n) g;
            ANALYZE cameras;
            """, db) { CommandTimeout = 600 };
        cmd.Parameters.AddWithValue("n", cameras);
        await cmd.ExecuteNonQueryAsync();
    }

    var ids = new List<Guid>(cameras);
    await using (var db = new NpgsqlConnection(database.ConnectionString))
    {
        await db.OpenAsync();
        // The monitored cameras: a planned or decommissioned camera's heartbeat is not applied.
        await using var cmd = new NpgsqlCommand("SELECT id FROM cameras WHERE status IN ('installed', 'active', 'maintenance') ORDER BY id", db);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
    }

    Console.WriteLine($"seeded {cameras} cameras in {seed.Elapsed.TotalSeconds:0.0}s; {ids.Count} monitored, target {ids.Count / 60.0:0} heartbeats/s");
    using var client = service.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["cameras.manage", "cameras.read"] }));
    client.Timeout = TimeSpan.FromSeconds(30);

    // Heartbeats: every camera once a minute; Silenced cameras report once and then stop.
    var silenced = ids.Take(Silenced).ToHashSet(); // first in the round: they report at t≈0 and then stop
    var batchLatencies = new List<double>();
    var sent = 0L;
    var lastBeatOfSilenced = DateTimeOffset.MinValue;
    var perSecond = ids.Count / 60.0;
    var run = Stopwatch.StartNew();
    var cursor = 0;
    // Offline detection is watched while the load runs: when were all silenced cameras offline?
    var allOfflineAt = DateTimeOffset.MaxValue;
    using var stopWatching = new CancellationTokenSource();
    var watcher = Task.Run(async () =>
    {
        while (!stopWatching.IsCancellationRequested && allOfflineAt == DateTimeOffset.MaxValue)
        {
            if (run.Elapsed.TotalSeconds > 30 && await OfflineCountAsync() >= Silenced) allOfflineAt = DateTimeOffset.UtcNow;
            await Task.Delay(1000);
        }
    });
    var inflight = new List<Task>();
    while (run.Elapsed.TotalSeconds < seconds)
    {
        var due = (long)(run.Elapsed.TotalSeconds * perSecond);
        while (sent < due)
        {
            var batch = new List<object>(batchSize);
            while (batch.Count < batchSize && sent < due)
            {
                var id = ids[cursor];
                cursor = (cursor + 1) % ids.Count;
                sent++;
                if (silenced.Contains(id))
                {
                    if (run.Elapsed.TotalSeconds > 30) continue;
                    lastBeatOfSilenced = DateTimeOffset.UtcNow;
                }

                batch.Add(new { cameraId = id });
            }

            if (batch.Count == 0) continue;
            inflight.Add(Post(batch));
        }

        inflight.RemoveAll(t => t.IsCompleted);
        await Task.Delay(20);
    }

    await Task.WhenAll(inflight);
    var heartbeatSeconds = run.Elapsed.TotalSeconds;
    var achieved = sent / heartbeatSeconds;

    // Offline detection: when did the silenced cameras go offline, relative to their last heartbeat?
    var detected = await Eventually.HoldsAsync(() => Task.FromResult(allOfflineAt != DateTimeOffset.MaxValue), TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(1));
    await stopWatching.CancelAsync();
    await watcher;
    var detectedAfter = allOfflineAt - lastBeatOfSilenced;

    // Radius search.
    var random = new Random(7);
    var centres = new List<(double Lat, double Lon)>();
    if (dataset == "synthetic")
    {
        await using var db = new NpgsqlConnection(database.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT ST_Y(location::geometry), ST_X(location::geometry) FROM cameras ORDER BY md5(id::text) LIMIT @n", db);
        cmd.Parameters.AddWithValue("n", searches);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) centres.Add((reader.GetDouble(0), reader.GetDouble(1)));
    }

    var searchLatencies = new List<double>();
    for (var i = 0; i < searches; i++)
    {
        var (centreLat, centreLon) = centres.Count > 0 ? centres[i % centres.Count] : (40.6 + random.NextDouble() * 14.8, 46.5 + random.NextDouble() * 40.5);
        var lat = centreLat.ToString(CultureInfo.InvariantCulture);
        var lon = centreLon.ToString(CultureInfo.InvariantCulture);
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync($"/api/cameras/search/near?latitude={lat}&longitude={lon}&radiusMeters=5000");
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        searchLatencies.Add(watch.Elapsed.TotalMilliseconds);
    }

    var rss = ProcMemory.ResidentBytes(service.ProcessId);
    var hwm = ProcMemory.PeakResidentBytes(service.ProcessId);
    var batchSorted = batchLatencies.Order().ToArray();
    var searchSorted = searchLatencies.Order().ToArray();
    Console.WriteLine($"heartbeats: {sent} sent in {heartbeatSeconds:0}s = {achieved:0}/s (target {perSecond:0}/s); batch of {batchSize} p50 {Percentile.NearestRank(batchSorted, 0.50):0.0} ms p95 {Percentile.NearestRank(batchSorted, 0.95):0.0} ms");
    Console.WriteLine($"offline detection: {(detected ? "all" : "NOT all")} {Silenced} silenced cameras offline {detectedAfter.TotalSeconds:0}s after their last heartbeat (threshold 90s, sweep 15s, target <= 120s; measured with 1s polling)");
    Console.WriteLine($"radius search (5 km): {searches} queries p50 {Percentile.NearestRank(searchSorted, 0.50):0.0} ms p95 {Percentile.NearestRank(searchSorted, 0.95):0.0} ms");
    Console.WriteLine($"service working set: {rss / 1024} kB (peak {hwm / 1024} kB)");

    async Task Post(List<object> batch)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync("/api/cameras/heartbeats", new { heartbeats = batch });
        response.EnsureSuccessStatusCode();
        lock (batchLatencies) batchLatencies.Add(watch.Elapsed.TotalMilliseconds);
    }

    async Task<long> OfflineCountAsync()
    {
        await using var db = new NpgsqlConnection(database.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM cameras WHERE health = 'offline' AND id = ANY(@ids)", db);
        cmd.Parameters.AddWithValue("ids", silenced.ToArray());
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
