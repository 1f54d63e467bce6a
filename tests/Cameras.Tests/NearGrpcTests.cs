using Npgsql;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.DevToken;
using PublicSafety.ServiceDefaults.Grpc.Client;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>FindCamerasNear over the wire.</summary>
public sealed class NearGrpcTests(GrpcCamerasService cameras) : IClassFixture<GrpcCamerasService>
{
    private static GrpcCallOptions As(string roles, string? region = null) => new()
    {
        Headers = new Dictionary<string, string>
        {
            ["authorization"] = $"Bearer {TestTokens.Create(new TokenRequest { Roles = roles.Split(','), Region = region })}",
        },
    };

    [Fact]
    public async Task CameraExactlyOnTheRadiusIsFoundWithItsDistanceAndOneMillimetreShortIsNot()
    {
        // Karaganda, away from the other tests' cameras.
        var camera = await cameras.CreateAsync(new { kind = "fixed", region = "KZ-35", latitude = 49.8047, longitude = 73.1094, status = "active" });
        const double lat = 49.8123, lon = 73.0987;
        var distance = await DistanceAsync(camera.Id, lat, lon);
        var (client, http) = cameras.Directory();
        using var _ = http;

        var on = await client.FindCamerasNearAsync(Near(lat, lon, distance), As("cameras.read"));
        var hit = Assert.Single(on.Cameras, c => c.Camera.Id == camera.Id.ToString());
        Assert.Equal(distance, hit.DistanceMeters, 3);
        Assert.Equal((CameraKind.Fixed, CameraStatus.Active, "KZ-35"), (hit.Camera.Kind, hit.Camera.Status, hit.Camera.Region));

        var shorter = await client.FindCamerasNearAsync(Near(lat, lon, distance - 0.001), As("cameras.read"));
        Assert.DoesNotContain(shorter.Cameras, c => c.Camera.Id == camera.Id.ToString());
        Assert.Empty((await client.FindCamerasNearAsync(Near(lat, lon, distance), As("cameras.read", region: "KZ-75"))).Cameras);
    }

    private static FindCamerasNearRequest Near(double lat, double lon, double radius) =>
        new() { Latitude = lat, Longitude = lon, RadiusMeters = radius };

    private async Task<double> DistanceAsync(Guid id, double lat, double lon)
    {
        await using var db = new NpgsqlConnection(cameras.ConnectionString);
        await db.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT ST_Distance(location, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography) FROM cameras WHERE id = @id", db);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("lat", lat);
        cmd.Parameters.AddWithValue("lon", lon);
        return (double)(await cmd.ExecuteScalarAsync())!;
    }
}
