using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.CrisisCapacity.Infrastructure;
using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.CrisisCapacity.Apis;

public static class FacilitiesApi
{
    public static RouteGroupBuilder MapFacilitiesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/crisis/facilities").WithTags("Facilities").RequireAuthorization(Policies.AnyOf("crisis"));
        group.MapGet("/{id:guid}", GetFacility).WithName("GetFacility")
            .WithSummary("A facility with its live bed counts; the address only for placement and manage roles in the facility's region.");
        group.MapPost("/", CreateFacility).WithName("CreateFacility").WithSummary("Registers a crisis centre or ЦВАД.").RequireAuthorization(Roles.CrisisManage);
        group.MapPut("/{id:guid}", UpdateFacility).WithName("UpdateFacility").WithSummary("Replaces a facility's details and bed counts.").RequireAuthorization(Roles.CrisisManage);
        group.MapDelete("/{id:guid}", DeleteFacility).WithName("DeleteFacility").WithSummary("Removes a facility with no open placement or hold.").RequireAuthorization(Roles.CrisisManage);
        return group;
    }

    /// <summary>A facility in the caller's reach (a cross-region officer's too, without address or position); 404 elsewhere.</summary>
    private static async Task<Results<Ok<FacilityResponse>, NotFound>> GetFacility(Guid id, ClaimsPrincipal user, FacilityStore store, CancellationToken ct)
    {
        var access = CrisisAccess.Of(user);
        return await store.GetAsync(id, access.ReachRegion, ct) is { } facility
            ? TypedResults.Ok(FacilityResponse.From(facility, access.SeesAddressIn(facility.Data.Region)))
            : TypedResults.NotFound();
    }

    private static async Task<Results<Created<FacilityResponse>, ValidationProblem, ProblemHttpResult>> CreateFacility(
        FacilityRequest? request, ClaimsPrincipal user, FacilityStore store, CancellationToken ct)
    {
        var (data, errors) = Validation.Facility(request);
        if (data is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!CrisisAccess.Of(user).Covers(data.Region))
        {
            return Problems.OutOfRegion();
        }

        var id = Guid.CreateVersion7();
        await store.CreateAsync(id, data, synthetic: false, ct);
        var created = await store.GetAsync(id, region: null, ct);
        return TypedResults.Created($"/api/crisis/facilities/{id}", FacilityResponse.From(created!, confidential: true));
    }

    private static async Task<Results<Ok<FacilityResponse>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateFacility(
        Guid id, FacilityRequest? request, ClaimsPrincipal user, FacilityStore store, CancellationToken ct)
    {
        var (data, errors) = Validation.Facility(request);
        if (data is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await store.UpdateAsync(id, data, CrisisAccess.Of(user).Scope, ct) switch
        {
            FacilityChange.NotFound => TypedResults.NotFound(),
            FacilityChange.OutOfRegion => Problems.OutOfRegion(),
            FacilityChange.InUse => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Beds in use don't fit",
                detail: "The new counts leave fewer usable beds than open placements and live holds take."),
            _ => TypedResults.Ok(FacilityResponse.From((await store.GetAsync(id, region: null, ct))!, confidential: true)),
        };
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> DeleteFacility(
        Guid id, ClaimsPrincipal user, FacilityStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, CrisisAccess.Of(user).Scope, ct) switch
        {
            FacilityChange.NotFound => TypedResults.NotFound(),
            FacilityChange.InUse => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Facility in use",
                detail: "The facility has open placements or live holds."),
            _ => TypedResults.NoContent(),
        };
}
