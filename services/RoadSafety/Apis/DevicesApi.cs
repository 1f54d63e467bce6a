using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.RoadSafety.Infrastructure;
using PublicSafety.RoadSafety.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.RoadSafety.Apis;

/// <summary><c>/api/roadsafety/devices</c>: the registry of fixation devices, their verifications and mobile routes.</summary>
public static class DevicesApi
{
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/roadsafety/devices").WithTags("Devices").RequireAuthorization(Policies.AnyOf("roadsafety"));
        api.MapGet("", ListAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("ListDevices").WithSummary("Devices by filter, a page at a time");
        api.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("GetDevice").WithSummary("One device with its verification in force");
        api.MapPost("", CreateAsync).RequireAuthorization(Roles.RoadSafetyManage).WithName("RegisterDevice")
            .WithSummary("Registers a device (its electronic passport); vendor + serial number is unique");
        api.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Roles.RoadSafetyManage).WithName("UpdateDevice")
            .WithSummary("Replaces a device's passport fields (renewed type approval, new location, another vendor); kind, region and status don't change here");
        api.MapPost("/{id:guid}/transitions", TransitionAsync).RequireAuthorization(Roles.RoadSafetyManage).WithName("TransitionDevice")
            .WithSummary("Moves a device along its lifecycle (planned → installed → active ⇄ maintenance → decommissioned)");
        api.MapPost("/{id:guid}/verifications", AddVerificationAsync).RequireAuthorization(Roles.RoadSafetyManage).WithName("RecordVerification")
            .WithSummary("Records a metrological verification certificate (поверка)");
        api.MapGet("/{id:guid}/verifications", VerificationsAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("DeviceVerifications")
            .WithSummary("A device's verification certificates, oldest first");
        api.MapPost("/{id:guid}/routes", AddRouteAsync).RequireAuthorization(Roles.RoadSafetyManage).WithName("RecordRoute")
            .WithSummary("Records a route a car-mounted complex worked");
        api.MapGet("/{id:guid}/routes", RoutesAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("DeviceRoutes")
            .WithSummary("The routes a car-mounted complex worked");
        return api;
    }

    public static async Task<Results<Ok<DevicePage>, ValidationProblem, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, DeviceStore store, CancellationToken ct, string? region = null, string? kind = null, string? status = null,
        string? vendorClientId = null, string? verification = null, bool? verificationLapsed = null, int page = 1, int pageSize = 50)
    {
        var errors = new Dictionary<string, string[]>();
        if (region is not null && !Regions.IsValid(region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code."];
        if (kind is not null && !Vocabulary.DeviceKinds.Contains(kind)) errors["kind"] = ["kind is not a device kind."];
        if (status is not null && !Lifecycle.Statuses.Contains(status)) errors["status"] = ["status is not a lifecycle status."];
        if (verification is not null && !VerificationStates.All.Contains(verification))
        {
            errors["verification"] = ["verification is one of valid, lapsed, not_yet_valid, never."];
        }

        if (!DeviceValidation.Text(vendorClientId, DeviceValidation.MaxText, required: false)) errors["vendorClientId"] = ["vendorClientId is a client id, at most 200 characters."];
        if (page is < 1 or > 1_000_000) errors["page"] = ["page starts at 1."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (Problems.Scope(user) is { } own)
        {
            if (region is not null && !string.Equals(region, own, StringComparison.OrdinalIgnoreCase)) return Problems.OutOfScope();
            region = own;
        }

        return TypedResults.Ok(await store.ListAsync(region?.ToUpperInvariant(), kind, status, vendorClientId, verification, verificationLapsed, page, pageSize, ct));
    }

    public static async Task<Results<Ok<DeviceResponse>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal user, DeviceStore store, CancellationToken ct) =>
        await store.GetAsync(id, Problems.Scope(user), ct) is { } device ? TypedResults.Ok(device) : Problems.NotFound("Device", id);

    public static async Task<Results<Created<DeviceResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        DeviceRequest request, ClaimsPrincipal user, DeviceStore store, CancellationToken ct)
    {
        var errors = DeviceValidation.Validate(request);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!user.CanAccessRegion(request.Region!)) return Problems.OutOfScope();
        var (device, duplicate) = await store.CreateAsync(Guid.CreateVersion7(), request, ct);
        if (duplicate)
        {
            return Problems.Conflict("Device already registered", $"{request.Vendor} already has a device with serial number {request.SerialNumber}.");
        }

        return TypedResults.Created($"/api/roadsafety/devices/{device!.Id}", device);
    }

    public static async Task<Results<Ok<DeviceResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, DeviceRequest request, ClaimsPrincipal user, DeviceStore store, CancellationToken ct)
    {
        var errors = DeviceValidation.Validate(request);
        if (request.Status is not null) errors["status"] = ["status changes go through POST /api/roadsafety/devices/{id}/transitions."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var (outcome, device) = await store.UpdateAsync(id, Problems.Scope(user), request, ct);
        return outcome switch
        {
            DeviceChange.NotFound => Problems.NotFound("Device", id),
            DeviceChange.Conflict => Problems.Conflict("Serial number taken", $"{request.Vendor} already has a device with serial number {request.SerialNumber}."),
            DeviceChange.NotAllowed => Problems.Conflict("Kind and region are fixed", $"The device is a {device!.Kind} in {device.Region}: register a new device instead."),
            _ => TypedResults.Ok(device!),
        };
    }

    public static async Task<Results<Ok<DeviceResponse>, ValidationProblem, ProblemHttpResult>> TransitionAsync(
        Guid id, TransitionRequest request, ClaimsPrincipal user, DeviceStore store, CancellationToken ct)
    {
        if (request.To is null || !Lifecycle.Statuses.Contains(request.To)) return Problems.Invalid("to", "to is required: a lifecycle status.");
        if (request.On is { Year: < 2000 or > 2100 }) return Problems.Invalid("on", "on must be a date between 2000 and 2100.");
        var scope = Problems.Scope(user);
        var (outcome, from) = await store.TransitionAsync(id, scope, request.To, request.On, ct);
        return outcome switch
        {
            DeviceChange.NotFound => Problems.NotFound("Device", id),
            DeviceChange.NotAllowed => Problems.Conflict("Transition not allowed", Lifecycle.AllowedFrom(from!) is { Count: > 0 } next
                ? $"A device cannot go from {from} to {request.To}; from {from} it may go to: {string.Join(", ", next)}."
                : $"A device cannot go from {from} to {request.To}: {from} is final."),
            _ => TypedResults.Ok((await store.GetAsync(id, scope, ct))!),
        };
    }

    public static async Task<Results<Created<VerificationResponse>, ValidationProblem, ProblemHttpResult>> AddVerificationAsync(
        Guid id, VerificationRequest request, ClaimsPrincipal user, DeviceStore store, CancellationToken ct)
    {
        var errors = DeviceValidation.Validate(request);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var (outcome, verification) = await store.AddVerificationAsync(id, Problems.Scope(user), request, ct);
        return outcome switch
        {
            DeviceChange.NotFound => Problems.NotFound("Device", id),
            DeviceChange.Conflict => Problems.Conflict("Certificate already recorded", $"Certificate {request.CertificateNumber} is already recorded for this device."),
            _ => TypedResults.Created($"/api/roadsafety/devices/{id}/verifications", verification!),
        };
    }

    public static async Task<Results<Ok<IReadOnlyList<VerificationResponse>>, ProblemHttpResult>> VerificationsAsync(
        Guid id, ClaimsPrincipal user, DeviceStore store, CancellationToken ct) =>
        await store.VerificationsAsync(id, Problems.Scope(user), ct) is { } list ? TypedResults.Ok(list) : Problems.NotFound("Device", id);

    public static async Task<Results<Created<RouteResponse>, ValidationProblem, ProblemHttpResult>> AddRouteAsync(
        Guid id, RouteRequest request, ClaimsPrincipal user, DeviceStore store, CancellationToken ct)
    {
        var errors = DeviceValidation.Validate(request);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var (outcome, route) = await store.AddRouteAsync(id, Problems.Scope(user), request, ct);
        return outcome switch
        {
            DeviceChange.NotFound => Problems.NotFound("Device", id),
            DeviceChange.NotAllowed => Problems.Conflict("Not a car-mounted complex", "Only car-mounted complexes (kind mobile) have routes."),
            _ => TypedResults.Created($"/api/roadsafety/devices/{id}/routes", route!),
        };
    }

    public static async Task<Results<Ok<IReadOnlyList<RouteResponse>>, ProblemHttpResult>> RoutesAsync(
        Guid id, ClaimsPrincipal user, DeviceStore store, CancellationToken ct) =>
        await store.RoutesAsync(id, Problems.Scope(user), ct) is { } list ? TypedResults.Ok(list) : Problems.NotFound("Device", id);
}
