using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Apis;

/// <summary>
/// A person's positions leave the service only through audited reads, each with a stated reason and recorded in
/// <c>location_reads</c> in the same transaction: the location history and a violation's evidence (here, supervising
/// officer only), and an alert's point with its nearby cameras (AlertsApi: also the duty unit once escalated). Neither
/// the violation list, nor alerts, nor integration events carry positions.
/// </summary>
public static class LocationsApi
{
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(7);

    public static RouteGroupBuilder MapLocationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/probation/persons/{id:guid}").WithTags("Locations").RequireAuthorization(Policies.AnyOf("probation"));
        group.MapGet("/positions", PositionsAsync).RequireAuthorization(Roles.ProbationOfficer)
            .WithName("LocationHistory").WithSummary("Positions in [from, to) (at most 7 days); reason required; the read is audited");
        group.MapGet("/location-reads", ReadsAsync).WithName("LocationReads").WithSummary("Who read this person's locations, when and why");
        group.MapGet("/violations", ViolationsAsync).WithName("ListViolations").WithSummary("Violations, newest first, without positions");
        group.MapGet("/violations/{violationId:guid}/evidence", EvidenceAsync).RequireAuthorization(Roles.ProbationOfficer)
            .WithName("ViolationEvidence").WithSummary("A violation's evidence positions; reason required; the read is audited");
        return group;
    }

    public static async Task<Results<Ok<LocationHistoryDto>, ValidationProblem, ProblemHttpResult>> PositionsAsync(
        Guid id, ClaimsPrincipal user, PersonStore persons, LocationStore locations, CancellationToken ct,
        [FromQuery] DateTimeOffset? from = null, [FromQuery] DateTimeOffset? to = null, [FromQuery] string? reason = null)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, persons, supervisorOnly: true, ct);
        if (person is null) return problem!;
        var errors = new Dictionary<string, string[]>();
        if (from is null) errors["from"] = ["from is required."];
        if (to is null) errors["to"] = ["to is required."];
        else if (from is { } f && (to <= f || to - f > MaxRange)) errors["to"] = ["to must be after from and at most 7 days later."];
        Reason(errors, reason);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return TypedResults.Ok(await locations.ReadHistoryAsync(id, from!.Value.ToUniversalTime(), to!.Value.ToUniversalTime(), user.Subject()!, reason!.Trim(), ct));
    }

    public static async Task<Results<Ok<ViolationEvidenceDto>, ValidationProblem, ProblemHttpResult>> EvidenceAsync(
        Guid id, Guid violationId, ClaimsPrincipal user, PersonStore persons, LocationStore locations, CancellationToken ct, [FromQuery] string? reason = null)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, persons, supervisorOnly: true, ct);
        if (person is null) return problem!;
        var errors = new Dictionary<string, string[]>();
        Reason(errors, reason);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return await locations.ReadEvidenceAsync(id, violationId, user.Subject()!, reason!.Trim(), ct) is { } evidence
            ? TypedResults.Ok(evidence)
            : Problems.NotFound("violation");
    }

    /// <summary>Every location read states why: at least 10 characters.</summary>
    internal static void Reason(Dictionary<string, string[]> errors, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 10) errors["reason"] = ["reason is required: at least 10 characters saying why."];
        Validation.Text(errors, "reason", reason, required: true, max: 500);
    }

    public static async Task<Results<Ok<List<LocationReadDto>>, ProblemHttpResult>> ReadsAsync(
        Guid id, ClaimsPrincipal user, PersonStore persons, LocationStore locations, CancellationToken ct)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, persons, supervisorOnly: false, ct);
        return person is null ? problem! : TypedResults.Ok(await locations.ReadsAsync(id, ct));
    }

    public static async Task<Results<Ok<List<ViolationDto>>, ProblemHttpResult>> ViolationsAsync(
        Guid id, ClaimsPrincipal user, PersonStore persons, LocationStore locations, CancellationToken ct)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, persons, supervisorOnly: false, ct);
        return person is null ? problem! : TypedResults.Ok(await locations.ViolationsAsync(id, ct));
    }
}
