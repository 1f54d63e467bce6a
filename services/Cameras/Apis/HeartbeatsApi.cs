using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Cameras.Health;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Apis;

/// <summary>
/// <c>POST /api/cameras/heartbeats</c>: batched heartbeats from cameras' management systems. <c>cameras.manage</c> may report for
/// any camera in its region scope; a vendor system with only <c>cameras.ingest</c> may report only for the cameras registered
/// to its client id (<c>vendorClientId</c>). Refusal is per record: the other cameras of the batch are applied, and the refused
/// ones are listed under <c>unknown</c> together with unregistered ids, so a vendor cannot learn whether another vendor's
/// camera exists.
/// </summary>
public static class HeartbeatsApi
{
    public const int MaxBatch = 5000;
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public static RouteHandlerBuilder MapHeartbeatsApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/cameras/heartbeats", IngestAsync)
            .WithTags("Health")
            .RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(Roles.CamerasManage, Roles.CamerasIngest))
            .WithName("IngestHeartbeats")
            .WithSummary("Records a batch of heartbeats; offline cameras that report come back online (cameras.manage, or cameras.ingest for the vendor's own cameras)");

    public static async Task<Results<Ok<HeartbeatResult>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        HeartbeatBatch batch, ClaimsPrincipal user, HeartbeatIngestion ingestion, TimeProvider time, ILogger<HeartbeatIngestion> logger,
        CancellationToken ct)
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

        // Managers report for every camera of their scope; a vendor only for the cameras registered to its own client.
        string? vendor = null;
        if (!user.IsInRole(Roles.CamerasManage))
        {
            vendor = user.ClientId();
            if (vendor is null || !CameraValidation.IsClientId(vendor))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No vendor client",
                    detail: "cameras.ingest reports heartbeats for the cameras registered to the calling client; the token names no client (azp).");
            }
        }

        // Npgsql writes timestamptz from UTC values only; any offset names the same instant.
        var result = await ingestion.IngestAsync(heartbeats.Select(h => (h.CameraId!.Value, h.ObservedAt?.ToUniversalTime())).ToArray(), CamerasApi.Scope(user),
            vendor, ct);
        if (vendor is not null && result.Unknown.Count > 0)
        {
            logger.LogInformation("Vendor {VendorClientId} reported {Refused} heartbeats for cameras not registered to it", vendor, result.Unknown.Count);
        }

        return TypedResults.Ok(result);
    }
}
