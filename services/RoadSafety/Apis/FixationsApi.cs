using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.RoadSafety.Infrastructure;
using PublicSafety.RoadSafety.Ingestion;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.RoadSafety.Apis;

/// <summary>
/// <c>POST /api/roadsafety/fixations/batches</c>: vendors post their devices' fixations; <c>GET</c> fixations and violations
/// (plates and evidence references are personal data: roadsafety.read only).
/// </summary>
public static class FixationsApi
{
    public const int MaxBatch = 1000;

    public static RouteGroupBuilder MapFixationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/roadsafety").WithTags("Fixations");
        api.MapPost("/fixations/batches", IngestAsync).RequireAuthorization(Roles.RoadSafetyIngest).WithName("IngestFixations")
            .WithSummary("A vendor's batch of fixations; the answer says per record: accepted, duplicate, inadmissible (why) or rejected (why)");
        api.MapGet("/fixations", ListFixationsAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("ListFixations")
            .WithSummary("A device's fixations in a time range, with plates and evidence");
        api.MapGet("/violations", ListViolationsAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("ListViolations")
            .WithSummary("Violations in a time range, by region or device, with plates");
        return api;
    }

    public static async Task<Results<Ok<FixationBatchResult>, ValidationProblem, ProblemHttpResult>> IngestAsync(
        FixationBatch batch, ClaimsPrincipal user, FixationIngestion ingestion, CancellationToken ct)
    {
        if (batch.Fixations is not { Length: > 0 and <= MaxBatch } records)
        {
            return Problems.Invalid("fixations", $"fixations must hold 1 to {MaxBatch} records.");
        }

        // Devices belong to a vendor's client: a token without one (a person) can't post for any device.
        if (user.ClientId() is not { Length: > 0 } vendor)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No vendor client", detail: "Fixations are posted by a vendor's client (azp).");
        }

        // A vendor token limited to a region reports for that region's devices only: the others are unknown to it.
        return TypedResults.Ok(await ingestion.IngestAsync(vendor, user.Scope(), records, ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<FixationView>>, ValidationProblem, ProblemHttpResult>> ListFixationsAsync(
        ClaimsPrincipal user, FixationQueries queries, CancellationToken ct, Guid? deviceId = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        string? outcome = null, int limit = 100)
    {
        var errors = RangeErrors(from, to, limit);
        if (deviceId is null || deviceId == Guid.Empty) errors["deviceId"] = ["deviceId is required."];
        if (outcome is not null && outcome is not (FixationStatus.Accepted or FixationStatus.Inadmissible)) errors["outcome"] = ["outcome must be accepted or inadmissible."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return await queries.FixationsAsync(deviceId!.Value, Problems.Scope(user), from!.Value, to!.Value, outcome, limit, ct) is { } list
            ? TypedResults.Ok(list)
            : Problems.NotFound("Device", deviceId.Value);
    }

    public static async Task<Results<Ok<IReadOnlyList<ViolationView>>, ValidationProblem, ProblemHttpResult>> ListViolationsAsync(
        ClaimsPrincipal user, FixationQueries queries, CancellationToken ct, string? region = null, Guid? deviceId = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 100)
    {
        var errors = RangeErrors(from, to, limit);
        if (region is not null && !Regions.IsValid(region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (Problems.Scope(user) is { } own)
        {
            if (region is not null && !string.Equals(region, own, StringComparison.OrdinalIgnoreCase)) return Problems.OutOfScope();
            region = own;
        }

        return TypedResults.Ok(await queries.ViolationsAsync(region?.ToUpperInvariant(), deviceId, from!.Value, to!.Value, limit, ct));
    }

    private static Dictionary<string, string[]> RangeErrors(DateTimeOffset? from, DateTimeOffset? to, int limit)
    {
        var errors = new Dictionary<string, string[]>();
        if (!DeviceValidation.InRange(from)) errors["from"] = ["from is required, a time between 2000 and 2100."];
        if (!DeviceValidation.InRange(to)) errors["to"] = ["to is required, a time between 2000 and 2100."];
        else if (errors.Count == 0 && to <= from) errors["to"] = ["to must be after from."];
        else if (errors.Count == 0 && to - from > TimeSpan.FromDays(366)) errors["to"] = ["the range is at most 366 days."];
        if (limit is < 1 or > 1000) errors["limit"] = ["limit must be between 1 and 1000."];
        return errors;
    }
}
