using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.RoadSafety.Tests;

/// <summary>The real RoadSafety process on a fresh PostGIS database and the shared test broker; each test owns the devices it registers.</summary>
public class RoadSafetyService : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _environment;

    public RoadSafetyService()
        : this([])
    {
    }

    protected RoadSafetyService(Dictionary<string, string?> environment)
    {
        _environment = environment;
        _environment["Grpc__Url"] = $"http://127.0.0.1:{FreePort.Next()}";
        // Nothing listens there unless a fixture starts Cameras: nearby cameras are "unavailable".
        _environment.TryAdd("services__cameras__grpc__0", $"http://127.0.0.1:{FreePort.Next()}");
    }

    public ServiceProcess Process { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    public virtual async Task InitializeAsync() => (Process, Database) = await ServiceProcess.StartWithDatabaseAsync("RoadSafety", _environment);

    public virtual async Task DisposeAsync()
    {
        await Process.DisposeAsync();
        await Database.DisposeAsync();
    }

    public HttpClient Client(string roles, string? region = null, string client = "road-authority") =>
        Process.CreateClient(TestTokens.Create(new TokenRequest { Roles = roles.Split(','), Region = region, Client = client }));

    public HttpClient Manager(string? region = null) => Client("roadsafety.manage,roadsafety.read", region);

    public HttpClient Reader(string? region = null) => Client("roadsafety.read", region);

    public HttpClient Vendor(string vendor) => Client("roadsafety.ingest", client: vendor);

    public static object NewDevice(string vendor, string kind = "instant_speed", string region = "KZ-31", double lat = 42.9, double lon = 71.37,
        string status = "active", string? patrolVehicle = null) => new
    {
        kind, vendorClientId = vendor, vendor = $"Vendor {vendor}", model = "Кордон-М2", serialNumber = Guid.NewGuid().ToString("N"),
        approvalNumber = "KZ.02.01.12345-2023", approvalValidUntil = "2030-12-31", region, road = "M-39 Almaty - Tashkent", kmMarker = 512.4m,
        direction = "increasing_km", latitude = kind == "mobile" ? (double?)null : lat, longitude = kind == "mobile" ? (double?)null : lon,
        owner = "road_authority", patrolVehicle = kind == "mobile" ? patrolVehicle ?? "Patrol 102" : null, status, installedOn = "2025-05-01",
    };

    public async Task<Guid> RegisterAsync(object device, string? region = null)
    {
        using var client = Manager(region);
        using var response = await client.PostAsJsonAsync("/api/roadsafety/devices", device);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    public async Task VerifyAsync(Guid device, DateTimeOffset from, DateTimeOffset until, string? certificate = null)
    {
        using var client = Manager();
        using var response = await client.PostAsJsonAsync($"/api/roadsafety/devices/{device}/verifications",
            new { certificateNumber = certificate ?? $"ПВ-{Guid.NewGuid():N}", verifyingBody = "КазИнМетр", verifiedAt = from, validUntil = until });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>An active device of <paramref name="vendor"/>, verified from a year ago to a year ahead.</summary>
    public async Task<Guid> VerifiedDeviceAsync(string vendor, string kind = "instant_speed", string region = "KZ-31", double lat = 42.9, double lon = 71.37)
    {
        var id = await RegisterAsync(NewDevice(vendor, kind, region, lat, lon));
        await VerifyAsync(id, DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(1));
        return id;
    }

    public static object Speeding(Guid device, long sequence, DateTimeOffset at, string plate = "123ABC02", int speed = 95, int limit = 60) => new
    {
        deviceId = device, sequence, occurredAt = at, plate, speedKmh = speed, limitKmh = limit, lane = 1, violationCode = "speeding",
        evidence = new[] { new { kind = "photo", id = $"ph-{sequence}", sha256 = new string('a', 64) } },
    };

    public static object Passage(Guid device, long sequence, DateTimeOffset at, string plate) => new
    {
        deviceId = device, sequence, occurredAt = at, plate, speedKmh = 80, limitKmh = 90, lane = 1,
    };

    public async Task<JsonObject> PostBatchAsync(HttpClient vendor, params object[] fixations)
    {
        using var response = await vendor.PostAsJsonAsync("/api/roadsafety/fixations/batches", new { fixations });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static JsonObject[] Results(JsonObject batch) => batch["results"]!.AsArray().Select(r => r!.AsObject()).ToArray();

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public async Task<Guid> ScalarGuidAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return (Guid)(await cmd.ExecuteScalarAsync())!;
    }

    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}

[CollectionDefinition(Name)]
public sealed class RoadSafetyCollection : ICollectionFixture<RoadSafetyService>
{
    public const string Name = "road-safety";
}
