using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.CrisisCapacity.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.CrisisCapacity.Apis;

public static class AnalyticsApi
{
    public const int DefaultDays = 30;
    public const int MaxDays = 366;

    public static RouteGroupBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/crisis/analytics").WithTags("Analytics").RequireAuthorization(Policies.AnyOf("crisis"));
        group.MapGet("/deficit", Deficit).WithName("GetBedDeficitByRegion")
            .WithSummary("Per region of the caller's scope: occupancy rate, refused holds and admissions, beds short against demand and the trend, over the last N days.");
        return group;
    }

    private static async Task<Results<Ok<IReadOnlyList<RegionDeficit>>, ValidationProblem>> Deficit(
        int? days, ClaimsPrincipal user, DeficitQueries queries, CancellationToken ct)
    {
        if (days is < 1 or > MaxDays)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["days"] = [$"days must be between 1 and {MaxDays}."] });
        }

        // The caller's own scope: cross-region placement is about beds, not other regions' figures.
        return TypedResults.Ok(await queries.ByRegionAsync(days ?? DefaultDays, user.Scope(), ct));
    }
}
