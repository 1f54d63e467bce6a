using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Apis;

/// <summary>
/// <c>/api/probation/alerts</c>: an officer's inbox (their persons' alerts), acknowledge, resolve with a note. Readers
/// of a region (the duty unit's view) list that region's alerts. Alerts carry no position: an alert's point and its
/// nearby cameras are a location read like the history, with a reason and audited (<see cref="LocationAsync"/>).
/// </summary>
public static class AlertsApi
{
    private static readonly string[] Statuses = ["open", "acknowledged", "resolved", "escalated"];

    public static RouteGroupBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/probation/alerts").WithTags("Alerts").RequireAuthorization(Policies.AnyOf("probation"));
        group.MapGet("", ListAsync).WithName("ListAlerts").WithSummary("The caller's inbox (officer) or the region's alerts (scope=region, probation.read)");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetAlert").WithSummary("One alert");
        group.MapGet("/{id:guid}/location", LocationAsync).WithName("AlertLocation")
            .WithSummary("The alert's point and nearby cameras: supervising officer, or the region's duty unit once escalated; reason required; the read is audited");
        group.MapPost("/{id:guid}/acknowledge", AcknowledgeAsync).RequireAuthorization(Roles.ProbationOfficer)
            .WithName("AcknowledgeAlert").WithSummary("Acknowledges an alert; it will not be escalated");
        group.MapPost("/{id:guid}/resolve", ResolveAsync).RequireAuthorization(Roles.ProbationOfficer)
            .WithName("ResolveAlert").WithSummary("Resolves an alert with a note");
        return group;
    }

    public static async Task<Results<Ok<AlertDto[]>, ValidationProblem, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, AlertStore store, CancellationToken ct, [FromQuery] string? scope = null, [FromQuery] string? status = null, [FromQuery] int limit = 100)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null) Validation.OneOf(errors, "status", status, Statuses);
        if (scope is not (null or "own" or "region")) errors["scope"] = ["scope must be own or region."];
        if (limit is < 1 or > 500) errors["limit"] = ["limit must be between 1 and 500."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var regional = scope == "region" || (scope is null && !user.IsInRole(Roles.ProbationOfficer));
        if (regional && !user.IsInRole(Roles.ProbationRead)) return Problems.Forbidden("A region's alerts need probation.read.");
        if (!regional && (!user.IsInRole(Roles.ProbationOfficer) || user.Subject() is null)) return Problems.Forbidden("An inbox needs probation.officer.");
        var rows = await store.ListAsync(user.Subject(), user.Scope(), regional, status, limit, ct);
        return TypedResults.Ok(rows.Select(r => r.Dto).ToArray());
    }

    public static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal user, AlertStore store, CancellationToken ct)
    {
        var row = await store.GetAsync(id, ct);
        if (row is null || user.AccessTo(row.OfficerSubject, row.Region) == PersonAccess.None) return Problems.NotFound("alert");
        return TypedResults.Ok(row.Dto);
    }

    /// <summary>
    /// The point is what the alert's handler needs to act: the supervising officer (officer role, own person, own region)
    /// reads it, the region's duty unit once the alert is escalated to it; each read is recorded in location_reads.
    /// </summary>
    public static async Task<Results<Ok<AlertLocationDto>, ValidationProblem, ProblemHttpResult>> LocationAsync(
        Guid id, ClaimsPrincipal user, AlertStore alerts, LocationStore locations, CancellationToken ct, [FromQuery] string? reason = null)
    {
        var row = await alerts.GetAsync(id, ct);
        var access = row is null ? PersonAccess.None : user.AccessTo(row.OfficerSubject, row.Region);
        if (access == PersonAccess.None) return Problems.NotFound("alert");
        if (access == PersonAccess.Summary && row!.Dto.EscalatedAt is null)
            return Problems.Forbidden("Until the alert is escalated, only the supervising officer may read its location.");
        if ((user.Subject() ?? user.ClientId()) is not { } reader) return Problems.Forbidden("The token names no subject to record the read under.");
        var errors = new Dictionary<string, string[]>();
        LocationsApi.Reason(errors, reason);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return await locations.ReadAlertLocationAsync(id, reader, reason!.Trim(), ct) is { } location ? TypedResults.Ok(location) : Problems.NotFound("alert");
    }

    public static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> AcknowledgeAsync(Guid id, ClaimsPrincipal user, AlertStore store, CancellationToken ct) =>
        await ChangeAsync(id, store, await store.AcknowledgeAsync(id, user.Subject() ?? "", user.Scope(), ct), ct);

    public static async Task<Results<Ok<AlertDto>, ValidationProblem, ProblemHttpResult>> ResolveAsync(
        Guid id, ResolveRequest? request, ClaimsPrincipal user, AlertStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Validation.Text(errors, "note", request?.Note, required: true, max: 2000);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return await ChangeAsync(id, store, await store.ResolveAsync(id, user.Subject() ?? "", user.Scope(), request!.Note!.Trim(), ct), ct) switch
        {
            { Result: Ok<AlertDto> ok } => ok,
            { Result: ProblemHttpResult problem } => problem,
            _ => Problems.NotFound("alert"),
        };
    }

    private static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> ChangeAsync(Guid id, AlertStore store, AlertChange change, CancellationToken ct) =>
        change switch
        {
            AlertChange.Done => TypedResults.Ok((await store.GetAsync(id, ct))!.Dto),
            AlertChange.AlreadyResolved => Problems.Conflict("The alert is already resolved."),
            _ => Problems.NotFound("alert"),
        };
}
