using PublicSafety.Contracts.Cameras.V1;

namespace PublicSafety.Bench.Grpc;

/// <summary>
/// The answer both transports serve: cameras on a ring around the point, computed per request (no database, so that the
/// figures compare the transports and not PostGIS).
/// </summary>
public static class Workload
{
    public static FindCamerasNearResponse Find(FindCamerasNearRequest request)
    {
        var response = new FindCamerasNearResponse();
        var count = request.MaxResults == 0 ? 100 : request.MaxResults;
        for (var i = 0; i < count; i++)
        {
            var distance = request.RadiusMeters * (i + 1) / (count + 1);
            var angle = i * 2 * Math.PI / count;
            response.Cameras.Add(new NearbyCamera
            {
                DistanceMeters = distance,
                Camera = new Camera
                {
                    Id = new Guid(i + 1, 0, 0x7000, 0x80, 0, 0, 0, 0, 0, 0, 1).ToString(),
                    Name = $"Camera {i + 1}",
                    Kind = (CameraKind)(i % 3 + 1),
                    Status = CameraStatus.Active,
                    Region = "KZ-75",
                    Location = new GeoPoint
                    {
                        Latitude = request.Latitude + distance / 111_320 * Math.Sin(angle),
                        Longitude = request.Longitude + distance / 81_000 * Math.Cos(angle),
                    },
                },
            });
        }

        return response;
    }
}

public sealed record NearRequestDto(double Latitude, double Longitude, double RadiusMeters, int MaxResults)
{
    public static NearRequestDto From(FindCamerasNearRequest r) => new(r.Latitude, r.Longitude, r.RadiusMeters, r.MaxResults);

    public FindCamerasNearRequest ToProto() => new() { Latitude = Latitude, Longitude = Longitude, RadiusMeters = RadiusMeters, MaxResults = MaxResults };
}

public sealed record GeoPointDto(double Latitude, double Longitude);

public sealed record CameraDto(string Id, string? Name, string Kind, string Status, string Region, GeoPointDto Location, double DistanceMeters);

public sealed record NearResponseDto(List<CameraDto> Cameras)
{
    public static NearResponseDto From(FindCamerasNearResponse response) => new(response.Cameras.Select(c => new CameraDto(
        c.Camera.Id, c.Camera.HasName ? c.Camera.Name : null, c.Camera.Kind.ToString(), c.Camera.Status.ToString(), c.Camera.Region,
        new GeoPointDto(c.Camera.Location.Latitude, c.Camera.Location.Longitude), c.DistanceMeters)).ToList());
}
