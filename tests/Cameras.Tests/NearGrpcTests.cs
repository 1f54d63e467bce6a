using System.Net;
using System.Net.Http.Json;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>FindCamerasNear over the wire, and what no search (REST or gRPC) may carry: a camera's stream endpoint.</summary>
public sealed class NearGrpcTests(GrpcCamerasService cameras) : IClassFixture<GrpcCamerasService>
{
    private static Metadata As(string roles, string? region = null) => new()
    {
        { "authorization", $"Bearer {TestTokens.Create(new TokenRequest { Roles = roles.Split(','), Region = region })}" },
    };

    [Fact]
    public async Task CameraExactlyOnTheRadiusIsFoundWithItsDistanceAndOneMillimetreShortIsNot()
    {
        // Karaganda, away from the other tests' cameras.
        var camera = await cameras.CreateAsync(new { kind = "fixed", region = "KZ-35", latitude = 49.8047, longitude = 73.1094, status = "active" });
        const double lat = 49.8123, lon = 73.0987;
        var distance = await cameras.DistanceAsync(camera.Id, lat, lon);
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

    [Fact]
    public async Task NoSearchOverRestOrGrpcCarriesAStreamEndpointOrItsCredentials()
    {
        // Kostanay, away from the other tests' cameras.
        var camera = await cameras.CreateAsync(new { kind = "ptz", region = "KZ-39", latitude = 53.2144, longitude = 63.6246, status = "active" });
        var secret = $"pw-{Guid.NewGuid():N}";
        const string host = "10.77.66.55";
        using var manager = cameras.Client("cameras.manage,cameras.read,cameras.stream");
        var set = await manager.PutAsJsonAsync($"/api/cameras/{camera.Id}/stream", new { url = $"rtsp://viewer:{secret}@{host}:554/stream1" });
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);

        var seen = new List<string>
        {
            await manager.GetStringAsync("/api/cameras/search/near?latitude=53.2144&longitude=63.6246&radiusMeters=100"),
            await (await manager.PostAsJsonAsync("/api/cameras/search/within",
                new { ring = new[] { new[] { 63.62, 53.21 }, new[] { 63.63, 53.21 }, new[] { 63.63, 53.22 }, new[] { 63.62, 53.22 } } })).Content.ReadAsStringAsync(),
        };
        Assert.All(seen, body => Assert.Contains(camera.Id.ToString(), body));

        var (client, http) = cameras.Directory();
        using var _ = http;
        var polygon = new FindCamerasInPolygonRequest();
        foreach (var (x, y) in new[] { (63.62, 53.21), (63.63, 53.21), (63.63, 53.22), (63.62, 53.22) })
        {
            polygon.Ring.Add(new GeoPoint { Longitude = x, Latitude = y });
        }

        var messages = new List<IMessage>
        {
            await client.FindCamerasNearAsync(Near(53.2144, 63.6246, 100), As("cameras.read,cameras.stream")),
            await client.FindCamerasInPolygonAsync(polygon, As("cameras.read,cameras.stream")),
        };
        await foreach (var streamed in client.StreamCamerasInRegion(new StreamCamerasInRegionRequest { Region = "KZ-39" }, As("cameras.read,cameras.stream")).ResponseStream.ReadAllAsync())
        {
            messages.Add(streamed);
        }

        Assert.Contains(messages, m => m.ToString()!.Contains(camera.Id.ToString()));
        seen.AddRange(messages.Select(m => m.ToString()!));
        seen.AddRange(messages.Select(m => Encoding.UTF8.GetString(m.ToByteArray())));
        Assert.All(seen, body =>
        {
            Assert.DoesNotContain(secret, body);
            Assert.DoesNotContain(host, body);
            Assert.DoesNotContain("rtsp://", body);
        });
    }

    private static FindCamerasNearRequest Near(double lat, double lon, double radius) =>
        new() { Latitude = lat, Longitude = lon, RadiusMeters = radius };
}
