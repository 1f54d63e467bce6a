using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Cameras.Health;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Apis;

/// <summary><c>GET /api/cameras/uptime</c>: uptime per camera, region or owner over a period.</summary>
public static class UptimeApi
{
    public static RouteHandlerBuilder MapUptimeApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/cameras/uptime", UptimeAsync)
            .WithTags("Health")
            .RequireAuthorization(Roles.CamerasRead)
            .WithName("CameraUptime")
            .WithSummary("Uptime over [from, to) grouped by camera (a page of cameras in id order: limit, after) or by region or owner");

    public static async Task<Results<Ok<IReadOnlyList<Uptime>>, ValidationProblem, ProblemHttpResult>> UptimeAsync(
        DateTimeOffset from, DateTimeOffset to, ClaimsPrincipal user, UptimeQueries uptime, CancellationToken ct, string groupBy = "camera",
        string? region = null, int? limit = null, Guid? after = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (to <= from) errors["to"] = ["to must be after from."];
        if (!UptimeQueries.GroupNames.Contains(groupBy)) errors["groupBy"] = [$"groupBy must be one of: {string.Join(", ", UptimeQueries.GroupNames)}."];
        if (region is not null && !Regions.IsValid(region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code."];
        if (limit is < 1 or > UptimeQueries.MaxCameraPage) errors["limit"] = [$"limit must be between 1 and {UptimeQueries.MaxCameraPage}."];
        // Regions and owners are a few dozen rows; silently ignoring a cursor there would hide a client's mistake.
        if (groupBy != "camera" && (limit is not null || after is not null)) errors["groupBy"] = ["limit and after page groupBy=camera only."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var scope = CamerasApi.Scope(user);
        if (scope is not null && region is not null && !string.Equals(scope, region, StringComparison.OrdinalIgnoreCase)) return CamerasApi.OutOfScope();
        // Npgsql writes timestamptz from UTC values only; any offset names the same instant.
        return TypedResults.Ok(await uptime.UptimeAsync(from.ToUniversalTime(), to.ToUniversalTime(), groupBy, scope ?? region?.ToUpperInvariant(), ct,
            limit ?? UptimeQueries.DefaultCameraPage, after));
    }
}
