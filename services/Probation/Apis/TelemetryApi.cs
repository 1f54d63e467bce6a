using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.Probation.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Apis;

/// <summary>
/// <c>POST /api/probation/telemetry</c>: a device vendor's batch (probation.ingest). The vendor is the token's client
/// (<c>azp</c>); devices are named by the vendor's serial, and reports for devices that are not the vendor's assigned
/// devices inside the token's region scope are returned as unknown, not applied.
/// </summary>
public static class TelemetryApi
{
    public static RouteHandlerBuilder MapTelemetryApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/probation/telemetry", IngestAsync)
            .WithTags("Telemetry")
            .RequireAuthorization(Roles.ProbationIngest)
            .WithName("IngestTelemetry")
            .WithSummary("Stores and evaluates positions and device events; duplicates and late batches are tolerated");

    public static async Task<Results<Ok<TelemetryResult>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        TelemetryBatch? batch, ClaimsPrincipal user, TelemetryIngestion ingestion, TimeProvider time, CancellationToken ct)
    {
        if (user.ClientId() is not { Length: > 0 } vendor)
        {
            return Problems.Forbidden("The token names no client (azp): telemetry comes from a vendor's own client.");
        }

        var errors = Validation.Telemetry(batch, time.GetUtcNow());
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // PostgreSQL keeps microseconds: times are cut to them here so that a resent fix compares equal to the stored one.
        var positions = (batch!.Positions ?? []).Select(p => p! with { FixTime = Microseconds(p.FixTime!.Value) }).ToArray();
        var events = (batch.Events ?? []).Select(e => e! with { At = Microseconds(e.At!.Value) }).ToArray();
        return TypedResults.Ok(await ingestion.IngestAsync(vendor, user.Scope(), positions, events, ct));
    }

    private static DateTimeOffset Microseconds(DateTimeOffset at)
    {
        var utc = at.UtcTicks;
        return new DateTimeOffset(utc - utc % 10, TimeSpan.Zero);
    }
}
