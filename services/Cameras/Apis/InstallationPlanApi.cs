using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Apis;

/// <summary>
/// Installation plan against actual (action plan 14.2: 20.6 thousand cameras a year, 2024-2028). The national plan is region
/// <c>KZ</c>; regional plans, where the plan is split, are set per region. Region-scoped callers see and set only their region.
/// </summary>
public static class InstallationPlanApi
{
    public const int FirstYear = 2000;
    public const int LastYear = 2100;
    public const int MaxYears = 50;
    // The concept's period (decree No. 1233): the default report range.
    public const int ConceptFirstYear = 2024;
    public const int ConceptLastYear = 2028;

    public static RouteGroupBuilder MapInstallationPlanApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cameras/coverage").WithTags("Coverage");
        api.MapGet("/installations", ProgressAsync).RequireAuthorization(Roles.CamerasRead).WithName("InstallationProgress")
            .WithSummary("Cameras installed per year against the installation plan (nationally as region KZ, and per region), with the percentage");
        api.MapGet("/plan", PlanAsync).RequireAuthorization(Roles.CamerasRead).WithName("InstallationPlan")
            .WithSummary("The installation plan per year and region (KZ: the whole country)");
        api.MapPut("/plan/{year:int}/{region}", SetAsync).RequireAuthorization(Roles.CamerasManage).WithName("SetInstallationPlan")
            .WithSummary("Sets the cameras to be installed in a year, for the whole country (KZ) or a region");
        api.MapDelete("/plan/{year:int}/{region}", DeleteAsync).RequireAuthorization(Roles.CamerasManage).WithName("DeleteInstallationPlan")
            .WithSummary("Removes a year's plan for the whole country (KZ) or a region");
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<InstallationProgress>>, ValidationProblem, ProblemHttpResult>> ProgressAsync(
        ClaimsPrincipal user, InstallationPlanStore store, CancellationToken ct, int from = ConceptFirstYear, int to = ConceptLastYear, string? region = null)
    {
        var errors = Range(from, to);
        if (region is not null && !Regions.IsValid(region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code (omit it for the whole country)."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var own = CamerasApi.Scope(user);
        if (own is not null && region is not null && !string.Equals(own, region, StringComparison.OrdinalIgnoreCase)) return CamerasApi.OutOfScope();
        return TypedResults.Ok(await store.ProgressAsync(from, to, own ?? region?.ToUpperInvariant(), ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<PlanEntry>>, ValidationProblem, ProblemHttpResult>> PlanAsync(
        ClaimsPrincipal user, InstallationPlanStore store, CancellationToken ct, int from = ConceptFirstYear, int to = ConceptLastYear, string? region = null)
    {
        var errors = Range(from, to);
        if (region is not null && !IsPlanRegion(region)) errors["region"] = ["region must be KZ (the whole country) or an ISO 3166-2:KZ region code."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var own = CamerasApi.Scope(user);
        if (own is not null && region is not null && !string.Equals(own, region, StringComparison.OrdinalIgnoreCase)) return CamerasApi.OutOfScope();
        return TypedResults.Ok(await store.PlanAsync(from, to, own ?? region?.ToUpperInvariant(), ct));
    }

    public static async Task<Results<Created<PlanEntry>, Ok<PlanEntry>, ValidationProblem, ProblemHttpResult>> SetAsync(
        int year, string region, PlanRequest request, ClaimsPrincipal user, InstallationPlanStore store, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (year is < FirstYear or > LastYear) errors["year"] = [$"year must be between {FirstYear} and {LastYear}."];
        if (!IsPlanRegion(region)) errors["region"] = ["region must be KZ (the whole country) or an ISO 3166-2:KZ region code."];
        if (request.PlannedCameras is not (>= 0 and <= 10_000_000)) errors["plannedCameras"] = ["plannedCameras is required, 0 to 10000000."];
        errors.CheckText("source", request.Source);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        region = region.ToUpperInvariant();
        // The national plan is the whole country's business: a region-scoped manager sets its own region's only.
        if (!CanChange(user, region)) return CamerasApi.OutOfScope();
        var actor = CamerasApi.Actor(user);
        var created = await store.SetAsync(year, region, request.PlannedCameras!.Value, request.Source, actor, ct);
        var entry = new PlanEntry(year, region, request.PlannedCameras.Value, request.Source, actor, time.GetUtcNow());
        return created ? TypedResults.Created($"/api/cameras/coverage/plan?from={year}&to={year}&region={region}", entry) : TypedResults.Ok(entry);
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        int year, string region, ClaimsPrincipal user, InstallationPlanStore store, CancellationToken ct)
    {
        if (!IsPlanRegion(region))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["region"] = ["region must be KZ (the whole country) or an ISO 3166-2:KZ region code."] });
        }

        region = region.ToUpperInvariant();
        if (!CanChange(user, region)) return CamerasApi.OutOfScope();
        return await store.DeleteAsync(year, region, ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No plan", detail: $"No installation plan for {region} in {year}.");
    }

    private static Dictionary<string, string[]> Range(int from, int to)
    {
        var errors = new Dictionary<string, string[]>();
        if (from is < FirstYear or > LastYear) errors["from"] = [$"from must be a year between {FirstYear} and {LastYear}."];
        if (to is < FirstYear or > LastYear) errors["to"] = [$"to must be a year between {FirstYear} and {LastYear}."];
        if (errors.Count == 0 && (to < from || to - from >= MaxYears)) errors["to"] = [$"to must be from or later, at most {MaxYears} years in all."];
        return errors;
    }

    private static bool IsPlanRegion(string region) =>
        string.Equals(region, InstallationPlanStore.National, StringComparison.OrdinalIgnoreCase) || Regions.IsValid(region);

    private static bool CanChange(ClaimsPrincipal user, string region) =>
        region == InstallationPlanStore.National ? user.Region() is null : user.CanAccessRegion(region);
}
