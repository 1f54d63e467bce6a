using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.CrisisCapacity.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.CrisisCapacity.Apis;

public static class FacilitiesApi
{
    public static RouteGroupBuilder MapFacilitiesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/crisis/facilities").WithTags("Facilities").RequireAuthorization(Policies.AnyOf("crisis"));
        group.MapGet("/{id:guid}", GetFacility).WithName("GetFacility").WithSummary("A facility with its live bed counts; the address only for placement and manage roles.");
        group.MapPost("/", CreateFacility).WithName("CreateFacility").WithSummary("Registers a crisis centre or ЦВАД.").RequireAuthorization(Roles.CrisisManage);
        group.MapPut("/{id:guid}", UpdateFacility).WithName("UpdateFacility").WithSummary("Replaces a facility's details and bed counts.").RequireAuthorization(Roles.CrisisManage);
        group.MapDelete("/{id:guid}", DeleteFacility).WithName("DeleteFacility").WithSummary("Removes a facility with no open placement or hold.").RequireAuthorization(Roles.CrisisManage);
        return group;
    }

    /// <summary>Whether the caller may see the confidential address and exact location.</summary>
    public static bool SeesConfidential(ClaimsPrincipal user) => user.IsInRole(Roles.CrisisPlacement) || user.IsInRole(Roles.CrisisManage);

    private static async Task<Results<Ok<FacilityResponse>, NotFound>> GetFacility(Guid id, ClaimsPrincipal user, FacilityStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } facility ? TypedResults.Ok(FacilityResponse.From(facility, SeesConfidential(user))) : TypedResults.NotFound();

    private static async Task<Results<Created<FacilityResponse>, ValidationProblem>> CreateFacility(FacilityRequest? request, FacilityStore store, CancellationToken ct)
    {
        var (data, errors) = Validation.Facility(request);
        if (data is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var id = Guid.CreateVersion7();
        await store.CreateAsync(id, data, synthetic: false, ct);
        var created = await store.GetAsync(id, ct);
        return TypedResults.Created($"/api/crisis/facilities/{id}", FacilityResponse.From(created!, confidential: true));
    }

    private static async Task<Results<Ok<FacilityResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateFacility(
        Guid id, FacilityRequest? request, FacilityStore store, CancellationToken ct)
    {
        var (data, errors) = Validation.Facility(request);
        if (data is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await store.UpdateAsync(id, data, ct) switch
        {
            FacilityChange.NotFound => TypedResults.NotFound(),
            FacilityChange.InUse => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Beds in use don't fit",
                detail: "The new counts leave fewer usable beds than open placements and live holds take."),
            _ => TypedResults.Ok(FacilityResponse.From((await store.GetAsync(id, ct))!, confidential: true)),
        };
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteFacility(Guid id, FacilityStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, ct) switch
        {
            FacilityChange.NotFound => TypedResults.NotFound(),
            FacilityChange.InUse => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Facility in use",
                detail: "The facility has open placements or live holds."),
            _ => TypedResults.NoContent(),
        };
}
