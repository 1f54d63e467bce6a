using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.CrisisCapacity.Infrastructure;
using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.CrisisCapacity.Apis;

public static class FeedsApi
{
    public static RouteGroupBuilder MapFeedsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/crisis/feeds").WithTags("Feeds").RequireAuthorization(Roles.CrisisRead);
        group.MapGet("/edxl-have", EdxlHave).WithName("GetEdxlHaveFeed")
            .WithSummary("Bed availability as an OASIS EDXL-HAVE 1.0 document for the caller's region (or one region inside its reach); no addresses or locations.");
        return group;
    }

    private static async Task<Results<ContentHttpResult, ValidationProblem, ProblemHttpResult>> EdxlHave(
        string? region, ClaimsPrincipal user, EdxlHaveFeed feed, CancellationToken ct)
    {
        if (region is not null && !Regions.IsValid(region))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["region"] = ["region must be an ISO 3166-2:KZ region code, e.g. KZ-75."] });
        }

        var access = CrisisAccess.Of(user);
        if (region is not null && !access.Reaches(region))
        {
            return Problems.OutOfRegion();
        }

        var document = await feed.BuildAsync(region?.ToUpperInvariant() ?? access.ReachRegion, ct);
        return TypedResults.Content(document.Declaration + Environment.NewLine + document.Root, "application/xml; charset=utf-8");
    }
}
