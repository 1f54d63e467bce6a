using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Apis;

/// <summary>
/// <c>/api/probation/alerts</c>: an officer's inbox (their persons' alerts), acknowledge, resolve with a note. Readers
/// of a region (the duty unit's view) list that region's alerts; they see locations only once an alert is escalated.
/// </summary>
public static class AlertsApi
{
    private static readonly string[] Statuses = ["open", "acknowledged", "resolved", "escalated"];

    public static RouteGroupBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/probation/alerts").WithTags("Alerts").RequireAuthorization(Policies.AnyOf("probation"));
        group.MapGet("", ListAsync).WithName("ListAlerts").WithSummary("The caller's inbox (officer) or the region's alerts (scope=region, probation.read)");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetAlert").WithSummary("One alert");
        group.MapPost("/{id:guid}/acknowledge", AcknowledgeAsync).RequireAuthorization(Roles.ProbationOfficer)
            .WithName("AcknowledgeAlert").WithSummary("Acknowledges an alert; it will not be escalated");
        group.MapPost("/{id:guid}/resolve", ResolveAsync).RequireAuthorization(Roles.ProbationOfficer)
            .WithName("ResolveAlert").WithSummary("Resolves an alert with a note");
        return group;
    }

    /// <summary>
    /// The alert's point is what its handler needs to act: the supervising officer (officer role, own person, own region)
    /// sees it, the duty unit once the alert is escalated to it. It is not recorded as a location read; any further
    /// position (the violation's evidence, the history) is (LocationsApi).
    /// </summary>
    private static AlertDto View(AlertStore.AlertRow row, ClaimsPrincipal user) =>
        user.IsSupervisorOf(row.OfficerSubject, row.Region) || row.Dto.EscalatedAt is not null
            ? row.Dto
            : row.Dto with { Latitude = null, Longitude = null, Cameras = [] };

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
        var rows = await store.ListAsync(user.Subject(), user.Region(), regional, status, limit, ct);
        return TypedResults.Ok(rows.Select(r => View(r, user)).ToArray());
    }

    public static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal user, AlertStore store, CancellationToken ct)
    {
        var row = await store.GetAsync(id, ct);
        if (row is null || user.AccessTo(row.OfficerSubject, row.Region) == PersonAccess.None) return Problems.NotFound("alert");
        return TypedResults.Ok(View(row, user));
    }

    public static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> AcknowledgeAsync(Guid id, ClaimsPrincipal user, AlertStore store, CancellationToken ct) =>
        await ChangeAsync(id, user, store, await store.AcknowledgeAsync(id, user.Subject() ?? "", ct), ct);

    public static async Task<Results<Ok<AlertDto>, ValidationProblem, ProblemHttpResult>> ResolveAsync(
        Guid id, ResolveRequest? request, ClaimsPrincipal user, AlertStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        Validation.Text(errors, "note", request?.Note, required: true, max: 2000);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return await ChangeAsync(id, user, store, await store.ResolveAsync(id, user.Subject() ?? "", request!.Note!.Trim(), ct), ct) switch
        {
            { Result: Ok<AlertDto> ok } => ok,
            { Result: ProblemHttpResult problem } => problem,
            _ => Problems.NotFound("alert"),
        };
    }

    private static async Task<Results<Ok<AlertDto>, ProblemHttpResult>> ChangeAsync(Guid id, ClaimsPrincipal user, AlertStore store, AlertChange change, CancellationToken ct) =>
        change switch
        {
            AlertChange.Done => TypedResults.Ok(View((await store.GetAsync(id, ct))!, user)),
            AlertChange.AlreadyResolved => Problems.Conflict("The alert is already resolved."),
            _ => Problems.NotFound("alert"),
        };
}
