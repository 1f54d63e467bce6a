using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Apis;

/// <summary>
/// <c>/api/cameras/{id}/stream</c>: the stream endpoint (URL with credentials), encrypted at rest, readable only with
/// <c>cameras.stream</c>. Never logged, never part of a camera, a list, an event or an export.
/// </summary>
public static class StreamApi
{
    public static RouteGroupBuilder MapStreamApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cameras/{id:guid}/stream").WithTags("Streams");
        api.MapPut("", SetAsync).RequireAuthorization(Roles.CamerasManage).WithName("SetStreamEndpoint").WithSummary("Sets a camera's stream endpoint");
        api.MapGet("", GetAsync).RequireAuthorization(Roles.CamerasStream).WithName("GetStreamEndpoint").WithSummary("A camera's stream endpoint, with credentials");
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

    public static async Task<Results<Ok<StreamEndpointResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, CameraStore store, StreamProtector protector, HttpContext http, ILogger<StreamProtector> logger, CancellationToken ct)
    {
        var (found, sealedEndpoint) = await store.GetStreamEndpointAsync(id, CamerasApi.Scope(user), ct);
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

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new StreamEndpointResponse(id, endpoint));
    }
}
