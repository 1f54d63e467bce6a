using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.Cameras.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Apis;

/// <summary><c>/api/cameras</c>: the registry. Callers with a region claim see and change only their region's cameras.</summary>
public static class CamerasApi
{
    public const int MaxPageSize = 500;

    public static RouteGroupBuilder MapCamerasRegistryApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cameras").WithTags("Cameras").RequireAuthorization(Policies.AnyOf("cameras"));

        api.MapGet("", ListAsync).RequireAuthorization(Roles.CamerasRead).WithName("ListCameras").WithSummary("Cameras by filter, a page at a time");
        api.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Roles.CamerasRead).WithName("GetCamera").WithSummary("One camera");
        api.MapPost("", CreateAsync).RequireAuthorization(Roles.CamerasManage).WithName("CreateCamera")
            .WithSummary("Registers a camera (Idempotency-Key header: a repeat returns the first result)");
        api.MapPut("/{id:guid}", UpdateAsync).RequireAuthorization(Roles.CamerasManage).WithName("UpdateCamera")
            .WithSummary("Replaces a camera's descriptive fields");
        api.MapPost("/{id:guid}/transitions", TransitionAsync).RequireAuthorization(Roles.CamerasManage).WithName("TransitionCamera")
            .WithSummary("Moves a camera along its lifecycle (planned → installed → active ⇄ maintenance → decommissioned)");
        api.MapGet("/{id:guid}/history", HistoryAsync).RequireAuthorization(Roles.CamerasRead).WithName("CameraHistory")
            .WithSummary("A camera's lifecycle history, oldest first");
        return api;
    }

    public static async Task<Results<Ok<CameraPage>, ValidationProblem, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, CameraStore store, CancellationToken ct,
        string? region = null, string? settlement = null, string? status = null, string? kind = null, string? owner = null,
        string? siteType = null, string? controlCentre = null, string? health = null, int page = 1, int pageSize = 50,
        string? vendorClientId = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (region is not null && !Regions.IsValid(region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code."];
        if (status is not null && !Lifecycle.Statuses.Contains(status)) errors["status"] = ["status is not a lifecycle status."];
        if (kind is not null && !CameraVocabulary.Kinds.Contains(kind)) errors["kind"] = ["kind is not a camera kind."];
        if (owner is not null && !CameraVocabulary.Owners.Contains(owner)) errors["owner"] = ["owner is not a known owner."];
        if (siteType is not null && !CameraVocabulary.SiteTypes.Contains(siteType)) errors["siteType"] = ["siteType is not a known site type."];
        if (health is not null && !CameraVocabulary.Health.Contains(health)) errors["health"] = ["health must be unknown, online or offline."];
        errors.CheckText("settlement", settlement);
        errors.CheckText("controlCentre", controlCentre);
        if (vendorClientId is not null && !CameraValidation.IsClientId(vendorClientId)) errors["vendorClientId"] = ["vendorClientId is not a client id."];
        if (page < 1) errors["page"] = ["page starts at 1."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (Scope(user) is { } own)
        {
            if (region is not null && !string.Equals(region, own, StringComparison.OrdinalIgnoreCase))
            {
                return OutOfScope();
            }

            region = own;
        }

        var filter = new CameraFilter(region?.ToUpperInvariant(), settlement, status, kind, owner, siteType, controlCentre, health, page, pageSize, vendorClientId);
        return TypedResults.Ok(await store.ListAsync(filter, ct));
    }

    public static async Task<Results<Ok<CameraResponse>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal user, CameraStore store, CancellationToken ct) =>
        await store.GetAsync(id, Scope(user), ct) is { } camera ? TypedResults.Ok(camera) : NotFound(id);

    public static async Task<Results<Created<CameraResponse>, Ok<CameraResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CameraRequest request, ClaimsPrincipal user, CameraStore store, TimeProvider time, CancellationToken ct,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey = null)
    {
        var errors = CameraValidation.Validate(request, creating: true, time);
        if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > 200 || !PlainText.IsClean(idempotencyKey)))
        {
            errors["Idempotency-Key"] = ["Idempotency-Key must be 1 to 200 characters, none of them control characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!user.CanAccessRegion(request.Region!))
        {
            return OutOfScope();
        }

        var (camera, created) = await store.CreateAsync(request, idempotencyKey, Actor(user), ct);
        if (!user.CanAccessRegion(camera.Region))
        {
            // A repeat of a key first used for a camera the caller may not see: never that camera, not even its id.
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency-Key already used",
                detail: "An earlier request used this Idempotency-Key for another camera; send a new key to register this one.");
        }

        return created ? TypedResults.Created($"/api/cameras/{camera.Id}", camera) : TypedResults.Ok(camera);
    }

    public static async Task<Results<Ok<CameraResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, CameraRequest request, ClaimsPrincipal user, CameraStore store, TimeProvider time, CancellationToken ct)
    {
        var errors = CameraValidation.Validate(request, creating: false, time);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!user.CanAccessRegion(request.Region!))
        {
            return OutOfScope();
        }

        return await store.UpdateAsync(id, request, Scope(user), ct) is { } camera ? TypedResults.Ok(camera) : NotFound(id);
    }

    public static async Task<Results<Ok<CameraResponse>, ValidationProblem, ProblemHttpResult>> TransitionAsync(
        Guid id, TransitionRequest request, ClaimsPrincipal user, CameraStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.To is null || !Lifecycle.Statuses.Contains(request.To))
        {
            errors["to"] = [$"to is required, one of: {string.Join(", ", Lifecycle.Statuses)}."];
        }

        errors.CheckText("reason", request.Reason, multiline: true);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (outcome, from) = await store.TransitionAsync(id, request.To!, request.Reason, Actor(user), Scope(user), ct);
        return outcome switch
        {
            TransitionOutcome.NotFound => NotFound(id),
            TransitionOutcome.NotAllowed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Transition not allowed",
                detail: Disallowed(from!, request.To!)),
            _ => TypedResults.Ok((await store.GetAsync(id, null, ct))!),
        };
    }

    public static async Task<Results<Ok<IReadOnlyList<StatusChange>>, ProblemHttpResult>> HistoryAsync(Guid id, ClaimsPrincipal user, CameraStore store, CancellationToken ct) =>
        await store.HistoryAsync(id, Scope(user), ct) is { } history ? TypedResults.Ok(history) : NotFound(id);

    private static string Disallowed(string from, string to) => Lifecycle.AllowedFrom(from) is { Count: > 0 } next
        ? $"A camera cannot go from {from} to {to}; from {from} it may go to: {string.Join(", ", next)}."
        : $"A camera cannot go from {from} to {to}: {from} is final.";

    internal static string? Scope(ClaimsPrincipal user) => user.Region()?.ToUpperInvariant();

    internal static string? Actor(ClaimsPrincipal user) => user.Identity?.Name ?? user.ClientId();

    // Cameras of other regions are not found rather than forbidden: their existence is not the caller's business.
    internal static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Camera not found", detail: $"No camera {id} in the caller's scope.");

    internal static ProblemHttpResult OutOfScope() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside the caller's region", detail: "The caller may only see and change cameras of its own region.");
}
