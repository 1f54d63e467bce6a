using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.Cameras.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Apis;

/// <summary>Spatial search over REST: near a point, inside a polygon. Region-scoped callers get their region's cameras only.</summary>
public static class SpatialApi
{
    public const double MaxRadiusMeters = 100_000;
    public const int MaxResults = 1000;
    public const int MaxRingPositions = PolygonRing.MaxPositions;

    public static RouteGroupBuilder MapSpatialApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cameras/search").WithTags("Spatial search").RequireAuthorization(Roles.CamerasRead);
        api.MapGet("/near", NearAsync).WithName("CamerasNear").WithSummary("Cameras within a radius of a point, nearest first (the radius is inclusive)");
        api.MapPost("/within", WithinAsync).WithName("CamerasWithin").WithSummary("Cameras inside a polygon (boundary included)");
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<SpatialHit>>, ValidationProblem>> NearAsync(
        double latitude, double longitude, double radiusMeters, ClaimsPrincipal user, SpatialQueries queries, CancellationToken ct,
        string? status = null, int maxResults = 100)
    {
        var errors = new Dictionary<string, string[]>();
        if (!double.IsFinite(latitude) || latitude is < -90 or > 90) errors["latitude"] = ["latitude must be between -90 and 90."];
        if (!double.IsFinite(longitude) || longitude is < -180 or > 180) errors["longitude"] = ["longitude must be between -180 and 180."];
        if (!double.IsFinite(radiusMeters) || radiusMeters is <= 0 or > MaxRadiusMeters) errors["radiusMeters"] = [$"radiusMeters must be greater than 0 and at most {MaxRadiusMeters:0}."];
        if (status is not null && !Lifecycle.Statuses.Contains(status)) errors["status"] = ["status is not a lifecycle status."];
        if (maxResults is < 1 or > MaxResults) errors["maxResults"] = [$"maxResults must be between 1 and {MaxResults}."];
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await queries.NearAsync(latitude, longitude, radiusMeters, status, CamerasApi.Scope(user), maxResults, ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<SpatialHit>>, ValidationProblem>> WithinAsync(
        WithinRequest request, ClaimsPrincipal user, SpatialQueries queries, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Status is not null && !Lifecycle.Statuses.Contains(request.Status)) errors["status"] = ["status is not a lifecycle status."];
        if (request.MaxResults is < 1 or > MaxResults) errors["maxResults"] = [$"maxResults must be between 1 and {MaxResults}."];
        var wkt = Ring(request.Ring, out var ringError);
        if (ringError is not null) errors["ring"] = [ringError];
        if (errors.Count == 0 && !await queries.IsValidPolygonAsync(wkt!, ct))
        {
            errors["ring"] = [PolygonRing.NotAPolygon];
        }

        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await queries.WithinAsync(wkt!, request.Status, CamerasApi.Scope(user), request.MaxResults ?? 100, ct));
    }

    /// <summary>GeoJSON-style [longitude, latitude] pairs to the shared ring rules.</summary>
    private static string? Ring(double[][]? ring, out string? error)
    {
        if (ring is not null && ring.Any(p => p is not { Length: 2 }))
        {
            error = "ring: every position must be a [longitude, latitude] pair.";
            return null;
        }

        return PolygonRing.ToWkt(ring?.Select(p => (p[0], p[1])).ToArray(), out error);
    }
}
