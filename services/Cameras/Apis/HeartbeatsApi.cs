using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Cameras.Health;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Apis;

/// <summary><c>POST /api/cameras/heartbeats</c>: batched heartbeats from cameras' management systems.</summary>
public static class HeartbeatsApi
{
    public const int MaxBatch = 5000;
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static RouteHandlerBuilder MapHeartbeatsApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/cameras/heartbeats", IngestAsync)
            .WithTags("Health")
            .RequireAuthorization(Roles.CamerasManage)
            .WithName("IngestHeartbeats")
            .WithSummary("Records a batch of heartbeats; offline cameras that report come back online");

    public static async Task<Results<Ok<HeartbeatResult>, ValidationProblem>> IngestAsync(
        HeartbeatBatch batch, ClaimsPrincipal user, HeartbeatIngestion ingestion, TimeProvider time, CancellationToken ct)
    {
        if (batch.Heartbeats is not { Length: > 0 and <= MaxBatch } heartbeats)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["heartbeats"] = [$"heartbeats must hold 1 to {MaxBatch} items."] });
        }

        var latest = time.GetUtcNow() + MaxClockSkew;
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < heartbeats.Length; i++)
        {
            if (heartbeats[i] is not { CameraId: { } id } || id == Guid.Empty)
            {
                errors[$"heartbeats[{i}].cameraId"] = ["cameraId is required."];
            }
            else if (heartbeats[i].ObservedAt > latest)
            {
                errors[$"heartbeats[{i}].observedAt"] = ["observedAt is in the future."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await ingestion.IngestAsync(heartbeats.Select(h => (h.CameraId!.Value, h.ObservedAt)).ToArray(), CamerasApi.Scope(user), ct));
    }
}
