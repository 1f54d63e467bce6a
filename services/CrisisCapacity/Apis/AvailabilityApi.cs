using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.CrisisCapacity.Infrastructure;
using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.CrisisCapacity.Apis;

public static class AvailabilityApi
{
    public const double DefaultRadiusKm = 100;
    public const double MaxRadiusKm = 2000;
    public const int DefaultLimit = 20;
    public const int MaxLimit = 200;

    public static RouteGroupBuilder MapAvailabilityApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/crisis/availability").WithTags("Availability").RequireAuthorization(Roles.CrisisRead);
        group.MapGet("/", Search).WithName("SearchAvailableBeds")
            .WithSummary("Free beds that fit a need, in a region or near a point (nearest first), in the caller's region or, with crisis.placement.crossregion, anywhere.");
        return group;
    }

    private static async Task<Results<Ok<IReadOnlyList<AvailableBedsDto>>, ValidationProblem, ProblemHttpResult>> Search(
        string? region, double? lat, double? lon, double? radiusKm, string? category, int? children, bool? accessible, int? limit,
        ClaimsPrincipal user, AvailabilityQueries queries, CancellationToken ct)
    {
        var e = new Dictionary<string, string[]>();
        if (region is not null && !Regions.IsValid(region)) e["region"] = ["region must be an ISO 3166-2:KZ region code, e.g. KZ-75."];
        if (lat.HasValue != lon.HasValue) e["lat"] = ["lat and lon go together."];
        if (lat is { } la && (!double.IsFinite(la) || la is < -90 or > 90)) e["lat"] = ["lat must be between -90 and 90."];
        if (lon is { } lo && (!double.IsFinite(lo) || lo is < -180 or > 180)) e["lon"] = ["lon must be between -180 and 180."];
        if (region is null && lat is null) e["region"] = ["Give a region or a point (lat, lon)."];
        if (radiusKm is { } r && (!double.IsFinite(r) || r is < LocationGrid.CellKm or > MaxRadiusKm))
            e["radiusKm"] = [$"radiusKm must be at least {LocationGrid.CellKm} (the location grid) and at most {MaxRadiusKm}."];
        if (category is not null && !BedCategories.IsValid(category)) e["category"] = [$"category must be one of {string.Join(", ", BedCategories.All)}."];
        if (children is < 0 or > 11) e["children"] = ["children must be between 0 and 11."];
        if (limit is < 1 or > MaxLimit) e["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        if (e.Count > 0)
        {
            return TypedResults.ValidationProblem(e, extensions: new Dictionary<string, object?> { ["gridKm"] = LocationGrid.CellKm });
        }

        var access = CrisisAccess.Of(user);
        if (region is not null && !access.Reaches(region))
        {
            return Problems.OutOfRegion();
        }

        var search = new AvailabilitySearch(region?.ToUpperInvariant() ?? access.ReachRegion, lat, lon, (radiusKm ?? DefaultRadiusKm) * 1000, category,
            children ?? 0, accessible ?? false, limit ?? DefaultLimit, access.ExactRegions);
        var rows = await queries.SearchAsync(search, ct);
        return TypedResults.Ok<IReadOnlyList<AvailableBedsDto>>(rows.Select(AvailableBedsDto.From).ToArray());
    }
}
