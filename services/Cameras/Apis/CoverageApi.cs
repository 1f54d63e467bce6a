using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Apis;

/// <summary>Coverage against the 15-per-100 target (14.2) and crime-prone sites without an active camera (task 5).</summary>
public static class CoverageApi
{
    public const double DefaultSiteRadiusMeters = 150;

    public static RouteGroupBuilder MapCoverageApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cameras/coverage").WithTags("Coverage");
        api.MapPut("/settlements/{region}/{name}", SetPopulationAsync).RequireAuthorization(Roles.CamerasManage).WithName("SetSettlementPopulation")
            .WithSummary("Sets a settlement's population");
        api.MapGet("/settlements", SettlementsAsync).RequireAuthorization(Roles.CamerasRead).WithName("SettlementCoverage")
            .WithSummary("Active cameras per 100 residents per settlement against the target of 15");
        api.MapPost("/sites", AddSiteAsync).RequireAuthorization(Roles.CamerasManage).WithName("AddCrimeProneSite")
            .WithSummary("Designates a crime-prone site");
        api.MapGet("/sites", SitesAsync).RequireAuthorization(Roles.CamerasRead).WithName("ListCrimeProneSites")
            .WithSummary("Designated crime-prone sites, a page at a time");
        api.MapDelete("/sites/{id:guid}", DeleteSiteAsync).RequireAuthorization(Roles.CamerasManage).WithName("DeleteCrimeProneSite")
            .WithSummary("Removes a crime-prone site's designation");
        api.MapGet("/sites/uncovered", UncoveredAsync).RequireAuthorization(Roles.CamerasRead).WithName("UncoveredSites")
            .WithSummary("Crime-prone sites with no active camera within radiusMeters (default 150)");
        return api;
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetPopulationAsync(
        string region, string name, PopulationRequest request, ClaimsPrincipal user, CoverageQueries coverage, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Regions.IsValid(region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code."];
        errors.CheckText("name", name, required: true);
        if (request.Population is not > 0) errors["population"] = ["population must be a positive number."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!user.CanAccessRegion(region)) return CamerasApi.OutOfScope();
        await coverage.SetPopulationAsync(region.ToUpperInvariant(), name, request.Population!.Value, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<IReadOnlyList<SettlementCoverage>>, ValidationProblem, ProblemHttpResult>> SettlementsAsync(
        ClaimsPrincipal user, CoverageQueries coverage, CancellationToken ct, string? region = null)
    {
        if (region is not null && !Regions.IsValid(region))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["region"] = ["region must be an ISO 3166-2:KZ region code."] });
        }

        var scope = CamerasApi.Scope(user);
        if (scope is not null && region is not null && !string.Equals(scope, region, StringComparison.OrdinalIgnoreCase)) return CamerasApi.OutOfScope();
        return TypedResults.Ok(await coverage.CoverageAsync(scope ?? region?.ToUpperInvariant(), ct));
    }

    public static async Task<Results<Created<UncoveredSite>, ValidationProblem, ProblemHttpResult>> AddSiteAsync(
        SiteRequest request, ClaimsPrincipal user, CoverageQueries coverage, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        errors.CheckText("name", request.Name, required: true);
        if (!Regions.IsValid(request.Region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code."];
        if (request.Latitude is not { } lat || !double.IsFinite(lat) || lat is < -90 or > 90) errors["latitude"] = ["latitude is required, between -90 and 90."];
        if (request.Longitude is not { } lon || !double.IsFinite(lon) || lon is < -180 or > 180) errors["longitude"] = ["longitude is required, between -180 and 180."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!user.CanAccessRegion(request.Region!)) return CamerasApi.OutOfScope();
        var region = request.Region!.ToUpperInvariant();
        var id = await coverage.AddSiteAsync(region, request.Name!, request.Latitude!.Value, request.Longitude!.Value, ct);
        return TypedResults.Created($"/api/cameras/coverage/sites/{id}", new UncoveredSite(id, region, request.Name!, request.Latitude.Value, request.Longitude.Value));
    }

    public static async Task<Results<Ok<CrimeProneSitePage>, ValidationProblem, ProblemHttpResult>> SitesAsync(
        ClaimsPrincipal user, CoverageQueries coverage, CancellationToken ct, string? region = null, int page = 1, int pageSize = 50)
    {
        var errors = new Dictionary<string, string[]>();
        if (region is not null && !Regions.IsValid(region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code."];
        if (page < 1) errors["page"] = ["page starts at 1."];
        if (pageSize is < 1 or > CamerasApi.MaxPageSize) errors["pageSize"] = [$"pageSize must be between 1 and {CamerasApi.MaxPageSize}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var scope = CamerasApi.Scope(user);
        if (scope is not null && region is not null && !string.Equals(scope, region, StringComparison.OrdinalIgnoreCase)) return CamerasApi.OutOfScope();
        return TypedResults.Ok(await coverage.SitesAsync(scope ?? region?.ToUpperInvariant(), page, pageSize, ct));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteSiteAsync(Guid id, ClaimsPrincipal user, CoverageQueries coverage, CancellationToken ct) =>
        await coverage.DeleteSiteAsync(id, CamerasApi.Scope(user), ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Site not found", detail: $"No crime-prone site {id} in the caller's scope.");

    public static async Task<Results<Ok<IReadOnlyList<UncoveredSite>>, ValidationProblem, ProblemHttpResult>> UncoveredAsync(
        ClaimsPrincipal user, CoverageQueries coverage, CancellationToken ct, string? region = null, double radiusMeters = DefaultSiteRadiusMeters)
    {
        var errors = new Dictionary<string, string[]>();
        if (region is not null && !Regions.IsValid(region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code."];
        if (!double.IsFinite(radiusMeters) || radiusMeters is <= 0 or > 10_000) errors["radiusMeters"] = ["radiusMeters must be greater than 0 and at most 10000."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var scope = CamerasApi.Scope(user);
        if (scope is not null && region is not null && !string.Equals(scope, region, StringComparison.OrdinalIgnoreCase)) return CamerasApi.OutOfScope();
        return TypedResults.Ok(await coverage.UncoveredSitesAsync(scope ?? region?.ToUpperInvariant(), radiusMeters, ct));
    }
}
