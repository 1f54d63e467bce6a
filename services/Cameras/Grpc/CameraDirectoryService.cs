using Grpc.Core;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Grpc;

/// <summary><c>publicsafety.cameras.v1.CameraDirectory</c>: spatial questions other services and agencies ask over gRPC.</summary>
public sealed class CameraDirectoryService(CameraQueries queries, SpatialQueries spatial) : CameraDirectory.CameraDirectoryBase
{
    public const int DefaultMaxResults = 100;
    public const int MaxResults = 1000;
    public const double MaxRadiusMeters = 100_000;

    public override async Task<FindCamerasNearResponse> FindCamerasNear(FindCamerasNearRequest request, ServerCallContext context)
    {
        var query = Validate(request, context);
        var response = new FindCamerasNearResponse();
        await foreach (var (camera, distance) in queries.FindNearAsync(query, context.CancellationToken))
        {
            response.Cameras.Add(new NearbyCamera { Camera = camera, DistanceMeters = distance });
        }

        return response;
    }

    public override async Task<FindCamerasInPolygonResponse> FindCamerasInPolygon(FindCamerasInPolygonRequest request, ServerCallContext context)
    {
        var wkt = PolygonRing.ToWkt(request.Ring.Select(p => (p.Longitude, p.Latitude)).ToArray(), out var ringError)
            ?? throw Invalid(ringError!);
        var maxResults = MaxResultsOf(request.MaxResults);
        var kinds = Kinds(request.Kinds);
        var statuses = Statuses(request.Statuses);
        var region = RegionOf(request.HasRegion ? request.Region : null, context);
        if (!await spatial.IsValidPolygonAsync(wkt, context.CancellationToken))
        {
            throw Invalid(PolygonRing.NotAPolygon);
        }

        var response = new FindCamerasInPolygonResponse();
        var query = new PolygonQuery(wkt, maxResults, kinds, statuses, region);
        await foreach (var camera in queries.FindInPolygonAsync(query, context.CancellationToken))
        {
            response.Cameras.Add(camera);
        }

        return response;
    }

    public override async Task StreamCamerasInRegion(StreamCamerasInRegionRequest request, IServerStreamWriter<Camera> stream, ServerCallContext context)
    {
        if (!Regions.IsValid(request.Region))
        {
            throw Invalid("region must be an ISO 3166-2:KZ region code, e.g. KZ-75.");
        }

        if (!context.GetHttpContext().User.CanAccessRegion(request.Region))
        {
            throw ForeignRegion();
        }

        var statuses = Statuses(request.Statuses);
        await foreach (var camera in queries.InRegionAsync(request.Region, statuses, context.CancellationToken))
        {
            await stream.WriteAsync(camera);
        }
    }

    private static NearQuery Validate(FindCamerasNearRequest request, ServerCallContext context)
    {
        if (!double.IsFinite(request.Latitude) || request.Latitude is < -90 or > 90)
        {
            throw Invalid("latitude must be between -90 and 90.");
        }

        if (!double.IsFinite(request.Longitude) || request.Longitude is < -180 or > 180)
        {
            throw Invalid("longitude must be between -180 and 180.");
        }

        if (!double.IsFinite(request.RadiusMeters) || request.RadiusMeters is <= 0 or > MaxRadiusMeters)
        {
            throw Invalid($"radius_meters must be greater than 0 and at most {MaxRadiusMeters:0}.");
        }

        var maxResults = MaxResultsOf(request.MaxResults);
        var kinds = Kinds(request.Kinds);
        var region = RegionOf(request.HasRegion ? request.Region : null, context);
        return new NearQuery(request.Latitude, request.Longitude, request.RadiusMeters, maxResults, kinds, Statuses(request.Statuses), region);
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static RpcException ForeignRegion() => new(new Status(StatusCode.PermissionDenied, "The caller may not see cameras of this region."));

    private static int MaxResultsOf(int requested) => requested is < 0 or > MaxResults
        ? throw Invalid($"max_results must be between 1 and {MaxResults} (0 means {DefaultMaxResults}).")
        : requested == 0 ? DefaultMaxResults : requested;

    /// <summary>The region to search: the requested one, and for a caller limited to a region always its own (another is PERMISSION_DENIED).</summary>
    private static string? RegionOf(string? requested, ServerCallContext context)
    {
        if (requested is not null && !Regions.IsValid(requested))
        {
            throw Invalid("region must be an ISO 3166-2:KZ region code, e.g. KZ-75.");
        }

        if (context.GetHttpContext().User.Region() is { } own)
        {
            if (requested is not null && !string.Equals(requested, own, StringComparison.OrdinalIgnoreCase))
            {
                throw ForeignRegion();
            }

            requested = own;
        }

        return requested?.ToUpperInvariant();
    }

    private static string[] Kinds(IEnumerable<CameraKind> kinds) => kinds
        .Select(k => CameraMapping.KindName(k) ?? throw Invalid($"kinds contains an unknown kind {k}."))
        .Distinct()
        .ToArray();

    private static string[] Statuses(IEnumerable<CameraStatus> statuses) => statuses
        .Select(s => CameraMapping.StatusName(s) ?? throw Invalid($"statuses contains an unknown status {s}."))
        .Distinct()
        .ToArray();
}
