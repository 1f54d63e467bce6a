using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Apis;

/// <summary><c>/api/cameras/schools</c>: school security systems (action plan 14.1) and their compliance report.</summary>
public static class SchoolsApi
{
    public static RouteGroupBuilder MapSchoolsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cameras/schools").WithTags("School security");
        api.MapPost("", CreateAsync).RequireAuthorization(Roles.CamerasManage).WithName("CreateSchool").WithSummary("Registers a school's security systems");
        api.MapPut("/{id:guid}/equipment", SetEquipmentAsync).RequireAuthorization(Roles.CamerasManage).WithName("SetSchoolEquipment")
            .WithSummary("Sets the status of a school's panic button and guard");
        api.MapPut("/{id:guid}/cameras/{cameraId:guid}", LinkCameraAsync).RequireAuthorization(Roles.CamerasManage).WithName("LinkSchoolCamera")
            .WithSummary("Counts a camera of the same region as one of the school's");
        api.MapDelete("/{id:guid}/cameras/{cameraId:guid}", UnlinkCameraAsync).RequireAuthorization(Roles.CamerasManage).WithName("UnlinkSchoolCamera")
            .WithSummary("Stops counting a camera as one of the school's");
        api.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Roles.CamerasRead).WithName("GetSchool")
            .WithSummary("A school's panic button, guard and linked cameras with their lifecycle status and health");
        api.MapGet("/compliance", ComplianceAsync).RequireAuthorization(Roles.CamerasRead).WithName("SchoolCompliance")
            .WithSummary("Schools whose systems are missing or not working (all=true: every school)");
        return api;
    }

    public static async Task<Results<Created<SchoolCompliance>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        SchoolRequest request, ClaimsPrincipal user, SchoolStore schools, CancellationToken ct)
    {
        var errors = Equipment(request.PanicButton, request.Guard);
        errors.CheckText("name", request.Name, required: true);
        if (!Regions.IsValid(request.Region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code."];
        errors.CheckText("settlement", request.Settlement);
        errors.CheckText("address", request.Address);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!user.CanAccessRegion(request.Region!)) return CamerasApi.OutOfScope();
        var id = await schools.CreateAsync(request, ct);
        // The new school's own row: reading the region's whole report to pick one school out of thousands cost a query per school.
        var created = (await schools.ComplianceOfAsync(id, null, ct))!;
        return TypedResults.Created($"/api/cameras/schools/{id}", created);
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetEquipmentAsync(
        Guid id, SchoolEquipmentRequest request, ClaimsPrincipal user, SchoolStore schools, CancellationToken ct)
    {
        var errors = Equipment(request.PanicButton, request.Guard);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return await schools.SetEquipmentAsync(id, request.PanicButton!, request.Guard!, CamerasApi.Scope(user), ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "School not found", detail: $"No school {id} in the caller's scope.");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> LinkCameraAsync(
        Guid id, Guid cameraId, ClaimsPrincipal user, SchoolStore schools, CancellationToken ct) =>
        await schools.LinkCameraAsync(id, cameraId, CamerasApi.Scope(user), ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "School or camera not found",
                detail: "No such school and camera of the same region in the caller's scope.");

    public static async Task<Results<NoContent, ProblemHttpResult>> UnlinkCameraAsync(
        Guid id, Guid cameraId, ClaimsPrincipal user, SchoolStore schools, CancellationToken ct) =>
        await schools.UnlinkCameraAsync(id, cameraId, CamerasApi.Scope(user), ct)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "School camera not found",
                detail: "No such school in the caller's scope with that camera linked to it.");

    public static async Task<Results<Ok<SchoolDetail>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal user, SchoolStore schools, CancellationToken ct) =>
        await schools.DetailAsync(id, CamerasApi.Scope(user), ct) is { } school
            ? TypedResults.Ok(school)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "School not found", detail: $"No school {id} in the caller's scope.");

    public static async Task<Results<Ok<IReadOnlyList<SchoolCompliance>>, ValidationProblem, ProblemHttpResult>> ComplianceAsync(
        ClaimsPrincipal user, SchoolStore schools, CancellationToken ct, string? region = null, bool all = false)
    {
        if (region is not null && !Regions.IsValid(region))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["region"] = ["region must be an ISO 3166-2:KZ region code."] });
        }

        var scope = CamerasApi.Scope(user);
        if (scope is not null && region is not null && !string.Equals(scope, region, StringComparison.OrdinalIgnoreCase)) return CamerasApi.OutOfScope();
        var report = await schools.ComplianceAsync(scope ?? region?.ToUpperInvariant(), ct);
        return TypedResults.Ok<IReadOnlyList<SchoolCompliance>>(all ? report : report.Where(s => !s.Compliant).ToArray());
    }

    private static Dictionary<string, string[]> Equipment(string? panicButton, string? guard)
    {
        var errors = new Dictionary<string, string[]>();
        if (panicButton is null || !SchoolStore.PanicButton.Contains(panicButton)) errors["panicButton"] = ["panicButton is required: missing, working or faulty."];
        if (guard is null || !SchoolStore.Guard.Contains(guard)) errors["guard"] = ["guard is required: missing, posted or vacant."];
        return errors;
    }
}
