using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.Probation.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Apis;

/// <summary><c>/api/probation/devices</c>: inventory of bracelets and base units, assignment to persons. Officers, in their region.</summary>
public static class DevicesApi
{
    public static RouteGroupBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/probation/devices").WithTags("Devices").RequireAuthorization(Roles.ProbationOfficer);
        group.MapPost("", CreateAsync).WithName("RegisterDevice").WithSummary("Registers a device in stock");
        group.MapGet("", ListAsync).WithName("ListDevices").WithSummary("Devices of the caller's region, optionally by status");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetDevice").WithSummary("One device with its health");
        group.MapGet("/{id:guid}/assignments", AssignmentsAsync).WithName("DeviceAssignments").WithSummary("Assignment history, newest first");
        group.MapPost("/{id:guid}/assign", AssignAsync).WithName("AssignDevice").WithSummary("Assigns a device in stock to one of the caller's persons");
        group.MapPost("/{id:guid}/release", ReleaseAsync).WithName("ReleaseDevice").WithSummary("Ends an assignment: returned, in stock, lost or faulty");
        group.MapPost("/{id:guid}/status", ChangeStatusAsync).WithName("ChangeDeviceStatus")
            .WithSummary("Moves a device nobody wears through the inventory, e.g. in stock to faulty");
        return group;
    }

    public static async Task<Results<Created<DeviceDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        DeviceRequest? request, ClaimsPrincipal user, DeviceStore store, CancellationToken ct)
    {
        var errors = Validation.Device(request);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!user.CanAccessRegion(request!.Region!)) return Problems.Forbidden("Officers register devices of their own region only.");
        var device = await store.CreateAsync(request, ct);
        return device is null
            ? Problems.Conflict("This vendor already has a device with this serial.")
            : TypedResults.Created($"/api/probation/devices/{device.Id}", device);
    }

    public static async Task<Results<Ok<List<DeviceDto>>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, DeviceStore store, CancellationToken ct, [FromQuery] string? status = null, [FromQuery] Guid? after = null, [FromQuery] int limit = 100)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null) Validation.OneOf(errors, "status", status, ["in_stock", "assigned", "lost", "faulty", "returned"]);
        if (limit is < 1 or > 500) errors["limit"] = ["limit must be between 1 and 500."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await store.ListAsync(user.Scope(), status, after, limit, ct));
    }

    public static async Task<Results<Ok<DeviceDto>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal user, DeviceStore store, CancellationToken ct)
    {
        var device = await store.GetAsync(id, ct);
        return device is null || !user.CanAccessRegion(device.Region) ? Problems.NotFound("device") : TypedResults.Ok(device);
    }

    public static async Task<Results<Ok<List<AssignmentDto>>, ProblemHttpResult>> AssignmentsAsync(Guid id, ClaimsPrincipal user, DeviceStore store, CancellationToken ct)
    {
        var device = await store.GetAsync(id, ct);
        return device is null || !user.CanAccessRegion(device.Region) ? Problems.NotFound("device") : TypedResults.Ok(await store.AssignmentsAsync(id, ct));
    }

    public static async Task<Results<Ok<DeviceDto>, ValidationProblem, ProblemHttpResult>> AssignAsync(
        Guid id, AssignRequest? request, ClaimsPrincipal user, DeviceStore devices, PersonStore persons, CancellationToken ct)
    {
        if (request?.PersonId is not { } personId || personId == Guid.Empty)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["personId"] = ["personId is required."] });
        var device = await devices.GetAsync(id, ct);
        if (device is null || !user.CanAccessRegion(device.Region)) return Problems.NotFound("device");
        var (person, problem) = await PersonsApi.FindAsync(personId, user, persons, supervisorOnly: true, ct);
        if (person is null) return problem!;
        return await devices.AssignAsync(id, person, user.Subject()!, ct) switch
        {
            AssignOutcome.Assigned => TypedResults.Ok((await devices.GetAsync(id, ct))!),
            AssignOutcome.NotAvailable => Problems.Conflict("The device is not in stock."),
            AssignOutcome.RegionMismatch => Problems.Conflict("The device belongs to another region's stock."),
            _ => Problems.NotFound("device"),
        };
    }

    public static async Task<Results<Ok<DeviceDto>, ValidationProblem, ProblemHttpResult>> ReleaseAsync(
        Guid id, ReleaseRequest? request, ClaimsPrincipal user, DeviceStore devices, PersonStore persons, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Validation.OneOf(errors, "status", request?.Status, DeviceLifecycle.Unassigned);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var device = await devices.GetAsync(id, ct);
        if (device is null || !user.CanAccessRegion(device.Region)) return Problems.NotFound("device");
        if (device.PersonId is not { } personId) return Problems.Conflict("The device is not assigned.");
        var (person, problem) = await PersonsApi.FindAsync(personId, user, persons, supervisorOnly: true, ct);
        if (person is null) return problem!;
        return await devices.ReleaseAsync(id, request!.Status!, ct)
            ? TypedResults.Ok((await devices.GetAsync(id, ct))!)
            : Problems.Conflict("The device is not assigned.");
    }

    public static async Task<Results<Ok<DeviceDto>, ValidationProblem, ProblemHttpResult>> ChangeStatusAsync(
        Guid id, DeviceStatusRequest? request, ClaimsPrincipal user, DeviceStore devices, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Validation.OneOf(errors, "status", request?.Status, DeviceLifecycle.Unassigned);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var device = await devices.GetAsync(id, ct);
        if (device is null || !user.CanAccessRegion(device.Region)) return Problems.NotFound("device");
        if (device.PersonId is not null) return Problems.Conflict("The device is assigned: releasing it sets its status.");
        if (!DeviceLifecycle.CanChange(device.Status, request!.Status!)) return Problems.Conflict($"A device {device.Status} cannot become {request.Status}.");
        return await devices.ChangeStatusAsync(id, device.Status, request.Status!, ct)
            ? TypedResults.Ok((await devices.GetAsync(id, ct))!)
            : Problems.Conflict("The device's status changed meanwhile.");
    }
}
