using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using PublicSafety.DevToken;
using PublicSafety.Probation.Evaluation;
using PublicSafety.Testing;

namespace PublicSafety.Probation.Tests;

/// <summary>
/// The Probation service as a real process on a fresh database and the shared broker, with quick sweeps and a short
/// escalation time. Cameras is pointed at a port nobody listens on (Cameras down) unless a subclass says otherwise.
/// Each test owns its officer (a unique user), persons and devices.
/// </summary>
public class ProbationService : IAsyncLifetime
{
    public const string Region = "KZ-75";
    public const double HomeLat = 43.2389, HomeLon = 76.8897;
    public static readonly TimeSpan EscalateAfter = TimeSpan.FromSeconds(4);

    private TestDatabase? _database;

    public ServiceProcess Service { get; private set; } = null!;

    public string ConnectionString => _database!.ConnectionString;

    protected virtual string CamerasAddress => $"http://127.0.0.1:{FreePort.Next()}";

    protected virtual TimeSpan CameraDeadline => TimeSpan.FromSeconds(2);

    public virtual async Task InitializeAsync() => (Service, _database) = await ServiceProcess.StartWithDatabaseAsync("Probation", new Dictionary<string, string?>
    {
        ["Probation__Detection__SweepInterval"] = "00:00:01",
        // Tests replay past days; silent-device detection has its own tests on a controlled clock.
        ["Probation__Detection__NoFixAfter"] = "8.00:00:00",
        ["Probation__Alerts__EscalateAfter"] = EscalateAfter.ToString(),
        ["Probation__Alerts__CameraDeadline"] = CameraDeadline.ToString(),
        ["services__cameras__grpc__0"] = CamerasAddress,
        ["Keycloak__ClientId"] = "probation",
        ["Keycloak__ServiceAccountRoles__0"] = "cameras.read",
        // As in the shipped image (noble-chiseled), which has no tz database: the service must not need one.
        ["TZDIR"] = "/nonexistent/zoneinfo",
    });

    public virtual async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await _database!.DisposeAsync();
    }

    public HttpClient Client(string roles, string? user = null, string? region = Region, string client = "probation-console") =>
        Service.CreateClient(TestTokens.Create(new TokenRequest { Roles = roles.Split(','), User = user, Region = region, Client = client }));

    public Officer NewOfficer(string region = Region) => new(this, "officer-" + Guid.NewGuid().ToString("N")[..10], region);

    public HttpClient Vendor(string vendor) => Client("probation.ingest", region: null, client: vendor);

    public async Task<T> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        await using var r = await cmd.ExecuteReaderAsync();
        return read(r);
    }

    public Task<List<(string Kind, DateTimeOffset StartedAt)>> ViolationsAsync(Guid person) => QueryAsync(
        "SELECT kind, started_at FROM violations WHERE person_id = @p ORDER BY started_at, kind", r =>
        {
            var list = new List<(string, DateTimeOffset)>();
            while (r.Read()) list.Add((r.GetString(0), r.GetFieldValue<DateTimeOffset>(1)));
            return list;
        }, ("p", person));

    /// <summary>Events of a type recorded in the outbox for a person (the aggregate key).</summary>
    public Task<List<JsonElement>> OutboxAsync(Guid person, string type) => QueryAsync(
        "SELECT body::text FROM outbox_messages WHERE aggregate_key = @k AND message_type LIKE '%.' || @t || ',%' ORDER BY id", r =>
        {
            var list = new List<JsonElement>();
            while (r.Read()) list.Add(JsonDocument.Parse(r.GetString(0)).RootElement.Clone());
            return list;
        }, ("k", person.ToString()), ("t", type));

    public static object Position(string device, DateTimeOffset at, double meters, double accuracy, double bearing = 90, double lat = HomeLat, double lon = HomeLon)
    {
        var (la, lo) = Geo.Offset(lat, lon, meters, bearing);
        return new { device, fixTime = at, latitude = la, longitude = lo, accuracy, speed = 0.5 };
    }
}

/// <summary>An officer with their own token subject (user-&lt;name&gt;), and what they set up for a test.</summary>
public sealed class Officer(ProbationService service, string name, string region)
{
    public string Name => name;
    public string Subject => "user-" + name;
    public HttpClient Http { get; } = service.Client("probation.officer", name, region);

    public async Task<PersonDto> CreatePersonAsync(string? region = null, DateTimeOffset? start = null)
    {
        var response = await Http.PostAsJsonAsync("/api/probation/persons", new
        {
            category = "parolee", region = region ?? ProbationService.Region, courtOrder = "2-1234/2026", fullName = "Synthetic Person",
            nationalId = "900101300123", birthDate = "1990-01-01",
            supervisionStart = start ?? DateTimeOffset.UtcNow.AddDays(-10), supervisionEnd = DateTimeOffset.UtcNow.AddDays(200),
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<PersonDto>())!;
    }

    public async Task<ZoneDto> AddZoneAsync(Guid person, object zone)
    {
        var response = await Http.PostAsJsonAsync($"/api/probation/persons/{person}/zones", zone);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ZoneDto>())!;
    }

    public Task<ZoneDto> AddExclusionAsync(Guid person, double inner = 100, double outer = 300) => AddZoneAsync(person, new
    {
        kind = "exclusion", name = "Protected person's home", latitude = ProbationService.HomeLat, longitude = ProbationService.HomeLon,
        radiusMeters = inner, outerRadiusMeters = outer,
    });

    public Task<ZoneDto> AddHomeAsync(Guid person, double radius = 80) => AddZoneAsync(person, new
    {
        kind = "inclusion", name = "Home", latitude = ProbationService.HomeLat, longitude = ProbationService.HomeLon, radiusMeters = radius,
        curfews = new[] { new { days = Array.Empty<int>(), start = "22:00", end = "06:00" } },
    });

    /// <summary>Registers a bracelet of <paramref name="vendor"/> and assigns it to the person; returns its serial.</summary>
    public async Task<string> AssignBraceletAsync(Guid person, string vendor) => (await AssignDeviceAsync(person, vendor, "bracelet")).Serial;

    /// <summary>Registers a device of <paramref name="vendor"/> in stock.</summary>
    public async Task<DeviceDto> RegisterDeviceAsync(string vendor, string kind = "bracelet")
    {
        var serial = "SN-" + Guid.NewGuid().ToString("N")[..12];
        var created = await Http.PostAsJsonAsync("/api/probation/devices", new { vendor, serial, kind, region = ProbationService.Region, firmware = "4.2.1" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<DeviceDto>())!;
    }

    /// <summary>
    /// Registers a device and assigns it to the person as if it had been fitted a week ago: tests replay past days, and
    /// what a device reports from before its assignment began is not its wearer's (not stored).
    /// </summary>
    public async Task<DeviceDto> AssignDeviceAsync(Guid person, string vendor, string kind)
    {
        var device = await RegisterDeviceAsync(vendor, kind);
        var assigned = await Http.PostAsJsonAsync($"/api/probation/devices/{device.Id}/assign", new { personId = person });
        Assert.True(assigned.IsSuccessStatusCode, await assigned.Content.ReadAsStringAsync());
        // Seven days: as old as a fix may be, and within the silent-device threshold the service is started with.
        await service.QueryAsync("""
            UPDATE devices SET assigned_at = @at WHERE id = @d;
            UPDATE device_assignments SET assigned_at = @at WHERE device_id = @d AND ended_at IS NULL
            """, _ => 0, ("at", DateTimeOffset.UtcNow.AddDays(-7)), ("d", device.Id));
        return (await assigned.Content.ReadFromJsonAsync<DeviceDto>())!;
    }
}

public sealed record PersonDto(Guid Id, string Reference, string Category, string Region, string OfficerSubject, bool SupervisedByCaller, JsonElement? Identity);

public sealed record ZoneDto(Guid Id, string Kind, string Name, double RadiusMeters, double? OuterRadiusMeters);

public sealed record DeviceDto(Guid Id, string Vendor, string Serial, string Status, string Health, Guid? PersonId);

public sealed record TelemetryResult(
    int PositionsAccepted, int Duplicates, int EventsAccepted, int Violations, string[] UnknownDevices, int PositionsBeforeAssignment, int EventsBeforeAssignment);

public sealed record AlertDto(Guid Id, Guid ViolationId, Guid PersonId, string PersonReference, string Kind, string Severity, string Status,
    DateTimeOffset? EscalatedAt, string? DutyUnit, bool HasLocation, string CamerasStatus);

public sealed record AlertLocationDto(Guid AlertId, Guid ViolationId, Guid PersonId, double? Latitude, double? Longitude, string CamerasStatus, JsonElement[] Cameras);
