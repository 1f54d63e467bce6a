using System.Net.Http.Json;
using Npgsql;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>The Cameras service as a real process on a fresh PostGIS database; each test owns the cameras it creates.</summary>
public class CamerasService : IAsyncLifetime
{
    private TestDatabase? _database;

    public ServiceProcess Service { get; private set; } = null!;

    public string ConnectionString => _database!.ConnectionString;

    protected virtual Dictionary<string, string?> Environment => [];

    public async Task InitializeAsync() => (Service, _database) = await ServiceProcess.StartWithDatabaseAsync("Cameras", Environment);

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await _database!.DisposeAsync();
    }

    public HttpClient Client(string role, string? region = null) =>
        Service.CreateClient(TestTokens.Create(new TokenRequest { Roles = role.Split(','), Region = region }));

    public static object NewCamera(string region = "KZ-75", string? status = null, double lat = 43.2389, double lon = 76.8897) => new
    {
        name = "Abay Ave / Dostyk", kind = "ptz", region, latitude = lat, longitude = lon, address = "Abay Ave 10", settlement = "Almaty",
        siteType = "street", owner = "akimat", capabilities = new[] { "night_vision", "licence_plate_recognition" },
        controlCentre = "ЦОУ ДП г. Алматы", installedOn = "2025-06-01", status,
    };

    public async Task<CameraDto> CreateAsync(object? camera = null, string region = "KZ-75")
    {
        using var client = Client("cameras.manage");
        var response = await client.PostAsJsonAsync("/api/cameras", camera ?? NewCamera(region));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CameraDto>())!;
    }

    /// <summary>The camera's distance from a point as PostGIS measures it on the spheroid, which searches must agree with.</summary>
    public async Task<double> DistanceAsync(Guid id, double lat, double lon)
    {
        await using var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT ST_Distance(location, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography) FROM cameras WHERE id = @id", db);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("lat", lat);
        cmd.Parameters.AddWithValue("lon", lon);
        return (double)(await cmd.ExecuteScalarAsync())!;
    }
}

public sealed record CameraDto(Guid Id, string? Name, string Kind, string Status, string Region, double Latitude, double Longitude, string? Settlement,
    string[] Capabilities, string? ControlCentre, string Health, DateTimeOffset? LastSeenAt, bool HasStreamEndpoint);
