using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Apis;

/// <summary>
/// <c>/api/cameras/{id}/stream</c>: the stream endpoint (URL with credentials), encrypted at rest, readable only with
/// <c>cameras.stream</c>, and every read recorded in the audit (<see cref="StreamReadAudit"/>) before it is answered. Never
/// logged, never part of a camera, a list, an event or an export. <c>/api/cameras/stream-reads</c>: the audit, for managers.
/// </summary>
public static class StreamApi
{
    public const int MaxReads = 1000;

    public static RouteGroupBuilder MapStreamApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cameras/{id:guid}/stream").WithTags("Streams");
        api.MapPut("", SetAsync).RequireAuthorization(Roles.CamerasManage).WithName("SetStreamEndpoint").WithSummary("Sets a camera's stream endpoint");
        api.MapGet("", GetAsync).RequireAuthorization(Roles.CamerasStream).WithName("GetStreamEndpoint")
            .WithSummary("A camera's stream endpoint, with credentials (reason: why it is read, kept in the audit); every read is audited");
        // Who watched which camera is the managers' to check (those who hold cameras.stream do not see each other's reads).
        app.MapGet("/api/cameras/stream-reads", ReadsAsync).WithTags("Streams").RequireAuthorization(Roles.CamerasManage).WithName("StreamEndpointReads")
            .WithSummary("The audit of stream endpoint reads in [from, to), in the order they happened (limit, after: the last id of the previous page)");
        return api;
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetAsync(
        Guid id, StreamEndpointRequest request, ClaimsPrincipal user, CameraStore store, StreamProtector protector, CancellationToken ct)
    {
        var errors = CameraValidation.Validate(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await store.SetStreamEndpointAsync(id, protector.Seal(id, request.Url!), CamerasApi.Scope(user), ct)
            ? TypedResults.NoContent()
            : CamerasApi.NotFound(id);
    }

    public static async Task<Results<Ok<StreamEndpointResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, CameraStore store, StreamProtector protector, StreamReadAudit audit, HttpContext http,
        ILogger<StreamProtector> logger, CancellationToken ct, string? reason = null)
    {
        var errors = new Dictionary<string, string[]>();
        errors.CheckText("reason", reason);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var (found, sealedEndpoint, region) = await store.GetStreamEndpointAsync(id, CamerasApi.Scope(user), ct);
        if (!found)
        {
            return CamerasApi.NotFound(id);
        }

        if (sealedEndpoint is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No stream endpoint", detail: $"Camera {id} has no stream endpoint set.");
        }

        if (!protector.TryOpen(id, sealedEndpoint, out var endpoint, out var sealedWith))
        {
            // The caller did nothing wrong: the service lacks the key (rotated without keeping the old one), so it is a 500, but
            // one that says what to do.
            logger.LogError("The stream endpoint of camera {CameraId} is sealed with {SealedWith}, which neither {KeySetting} nor {PreviousKeysSetting} holds",
                id, sealedWith, StreamProtector.KeySetting, StreamProtector.PreviousKeysSetting);
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Stream endpoint unreadable",
                detail: $"The stream endpoint of camera {id} is encrypted with a key this service no longer has. A manager can set it again "
                        + $"(PUT /api/cameras/{id}/stream); an operator can add the old key to {StreamProtector.PreviousKeysSetting}.");
        }

        // Recorded before it is answered: if the audit fails, the endpoint is not disclosed.
        await audit.RecordAsync(id, region!, user.ClientId(), user.Identity?.Name, user.FindFirstValue("sub"), string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new StreamEndpointResponse(id, endpoint));
    }

    public static async Task<Results<Ok<IReadOnlyList<StreamRead>>, ValidationProblem, ProblemHttpResult>> ReadsAsync(
        ClaimsPrincipal user, StreamReadAudit audit, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null,
        Guid? cameraId = null, string? region = null, int limit = 100, Guid? after = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (from is not { Year: >= 2000 and <= 2100 }) errors["from"] = ["from is required, a time between 2000 and 2100."];
        if (to is not { Year: >= 2000 and <= 2100 }) errors["to"] = ["to is required, a time between 2000 and 2100."];
        else if (from is { } f && (to <= f || to - f > TimeSpan.FromDays(366))) errors["to"] = ["to must be after from, at most 366 days later."];
        if (region is not null && !Regions.IsValid(region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code."];
        if (limit is < 1 or > MaxReads) errors["limit"] = [$"limit must be between 1 and {MaxReads}."];
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (CamerasApi.Scope(user) is { } own)
        {
            if (region is not null && !string.Equals(region, own, StringComparison.OrdinalIgnoreCase))
            {
                return CamerasApi.OutOfScope();
            }

            region = own;
        }

        return TypedResults.Ok(await audit.ListAsync(
            new StreamReadQuery(region?.ToUpperInvariant(), cameraId, from!.Value.ToUniversalTime(), to!.Value.ToUniversalTime(), limit, after), ct));
    }
}
