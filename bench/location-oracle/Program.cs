// bench/location-oracle: how precisely a caller with crisis.read alone can locate a confidential crisis centre by
// searching (issue 17 item 6). See README.md.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Npgsql;
using PublicSafety.Bench;
using PublicSafety.Bench.LocationOracle;
using PublicSafety.DevToken;

var options = new BenchArgs(args);
var searches = options.Int("--searches", 100);
var centres = options.Int("--centres", 1);
var first = new GeoPoint(options.Double("--lat", 43.2389), options.Double("--lon", 76.8897));
var anchorKm = options.Double("--anchor-km", 30);
const string Category = "detox";

var admin = Environment.GetEnvironmentVariable("PUBLICSAFETY_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Password=postgres;Database=postgres";
var rabbit = Environment.GetEnvironmentVariable("PUBLICSAFETY_TEST_RABBIT") ?? "amqp://publicsafety:publicsafety@127.0.0.1:55672/";
var dll = Path.Combine(FindRoot(), "services/CrisisCapacity/bin/Release/net10.0/PublicSafety.CrisisCapacity.dll");
if (!File.Exists(dll))
{
    Console.Error.WriteLine($"{dll} is not built: run with 'dotnet run -c Release --project bench/location-oracle'.");
    return 2;
}

var work = Directory.CreateTempSubdirectory("location-oracle-");
var database = $"oracle_bench_{Guid.NewGuid():N}"[..26];
await Sql(admin, $"CREATE DATABASE \"{database}\"");
var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
await Sql(connectionString, "CREATE EXTENSION IF NOT EXISTS postgis");
var tokens = DevTokens.FromKeyFile(Path.Combine(work.FullName, "key.pem"));
var port = FreePort();
var info = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
info.Environment["Keycloak__DevelopmentSigningKeyFile"] = Path.Combine(work.FullName, "key.pem");
info.Environment["Logging__LogLevel__Default"] = "Warning";
info.Environment["ConnectionStrings__crisisdb"] = connectionString;
info.Environment["ConnectionStrings__messaging"] = rabbit;
info.Environment["Grpc__Url"] = $"http://127.0.0.1:{FreePort()}";
info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
using var service = Process.Start(info)!;
var log = new StreamWriter(Path.Combine(work.FullName, "service.log")) { AutoFlush = true };
service.OutputDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
service.ErrorDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
service.BeginOutputReadLine();
service.BeginErrorReadLine();
var exitCode = 0;
try
{
    using var manager = Client(["crisis.manage"]);
    // The attacker: crisis.read alone, national (the widest read-only reach).
    using var reader = Client(["crisis.read"]);
    // The control: the same attack by a caller who may see addresses, to show the attack itself works.
    using var placement = Client(["crisis.read", "crisis.placement"]);
    await WaitReadyAsync(reader);
    var gridKm = await GridKmAsync(reader);
    Console.WriteLine($"grid: {(gridKm is { } g ? $"{g * 1000:F0} m cells" : "none (a 1 m radius is accepted)")}; " +
                      $"{searches} searches per centre from 3 points {anchorKm} km around a guess; logs in {work.FullName}");

    var random = new Random(17);
    var readerErrors = new List<double>();
    var controlErrors = new List<double>();
    var refused = 0;
    for (var c = 0; c < centres; c++)
    {
        var truth = c == 0 ? first : LocalPlane.Offset(first, random.NextDouble() * 20_000, random.NextDouble() * 360);
        var id = await RegisterAsync(manager, truth);
        // The attacker starts from a guess a few km off (the settlement is in every search result) and surrounds it.
        var guess = LocalPlane.Offset(truth, 2_000 + random.NextDouble() * 4_000, random.NextDouble() * 360);
        var turn = random.NextDouble() * 120;
        GeoPoint[] anchors = [.. new[] { 0.0, 120, 240 }.Select(b => LocalPlane.Offset(guess, anchorKm * 1000, b + turn))];
        var minKm = gridKm ?? 0.001;
        var maxKm = anchorKm * 2 + 10;

        var attack = new Attack(reader, id, Category);
        var estimate = await attack.LocateAsync(anchors, searches, minKm, maxKm);
        var control = new Attack(placement, id, Category);
        var exact = await control.LocateAsync(anchors, searches, minKm, maxKm);
        refused += attack.Refused + control.Refused;

        var error = LocalPlane.Distance(truth, estimate);
        readerErrors.Add(error);
        controlErrors.Add(LocalPlane.Distance(truth, exact));
        var cell = gridKm is { } cellKm ? $", {LocalPlane.Distance(CellMiddle(truth, cellKm * 1000), estimate):F0} m from its grid cell's middle" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"centre {c + 1} at {truth.Lat:F5}, {truth.Lon:F5}: crisis.read estimate off by {error:F0} m{cell} ({attack.Searches} searches); " +
            $"a caller who may see the address: off by {controlErrors[^1]:F1} m"));
    }

    readerErrors.Sort();
    Console.WriteLine($"crisis.read attacker, {searches} searches per centre: error {(centres == 1 ? $"{readerErrors[0]:F0} m" : $"min {readerErrors[0]:F0} m, median {Percentile.NearestRank(readerErrors, 0.5):F0} m, max {readerErrors[^1]:F0} m")}" +
                      $" (target: no better than the grid{(gridKm is { } k ? $", {k * 1000:F0} m cells" : "")})");
    Console.WriteLine($"control (address visible): max error {controlErrors.Max():F1} m; {refused} searches refused");
    // The attack must work where it is allowed to (else the figure above proves nothing) and no probe may be refused.
    exitCode = refused == 0 && controlErrors.Max() < 50 ? 0 : 1;
}
finally
{
    service.Kill(entireProcessTree: true);
    await service.WaitForExitAsync();
    NpgsqlConnection.ClearAllPools();
    await Sql(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
}

return exitCode;

HttpClient Client(string[] roles)
{
    var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
        tokens.Create(new TokenRequest { Roles = roles, Client = "bench", User = string.Join('+', roles), Lifetime = TimeSpan.FromHours(1) }));
    return client;
}

static async Task<Guid> RegisterAsync(HttpClient manager, GeoPoint at)
{
    using var response = await manager.PostAsJsonAsync("/api/crisis/facilities", new
    {
        kind = "crisis_centre_ngo",
        name = "Oracle bench centre",
        region = "KZ-75",
        settlement = "Almaty",
        latitude = at.Lat,
        longitude = at.Lon,
        confidentialAddress = "Bench address (not a real place)",
        services = new { psychologist = true, lawyer = false, medicalCare = false, acceptsChildren = false, accessible = false },
        openAtNight = true,
        beds = new[] { new { category = Category, total = 4, outOfService = 0 } },
    });
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
}

// The service names its grid when it refuses a radius finer than it; a service without one accepts 1 m.
static async Task<double?> GridKmAsync(HttpClient reader)
{
    using var response = await reader.GetAsync("/api/crisis/availability?lat=43.2&lon=76.9&radiusKm=0.001");
    if (response.StatusCode != HttpStatusCode.BadRequest)
    {
        return null;
    }

    return (await response.Content.ReadFromJsonAsync<JsonObject>())!["gridKm"]?.GetValue<double>();
}

// The grid as services/CrisisCapacity/README.md defines it: rows of the cell's height in latitude, columns of its width
// at the row's middle latitude.
static GeoPoint CellMiddle(GeoPoint p, double cellMetres)
{
    const double metresPerDegree = 111_320;
    var height = cellMetres / metresPerDegree;
    var lat = (Math.Floor(p.Lat / height) + 0.5) * height;
    var width = cellMetres / (metresPerDegree * Math.Cos(lat * Math.PI / 180));
    return new GeoPoint(lat, (Math.Floor(p.Lon / width) + 0.5) * width);
}

static async Task WaitReadyAsync(HttpClient client)
{
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromSeconds(60))
    {
        try
        {
            if ((await client.GetAsync("/health/ready")).IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(200);
    }

    throw new TimeoutException("The service did not become ready in 60 s; see its log.");
}

static async Task Sql(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var cmd = new NpgsqlCommand(sql, connection);
    await cmd.ExecuteNonQueryAsync();
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "PublicSafety.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("PublicSafety.sln not found");
}
