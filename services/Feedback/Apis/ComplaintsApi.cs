using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Feedback.Apis;

/// <summary>Complaints about police conduct, for the units that handle them (<c>feedback.manage</c>), region-scoped.</summary>
public static class ComplaintsApi
{
    public const int MaxList = 200;

    public static RouteGroupBuilder MapComplaintsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/feedback/complaints").WithTags("Complaints").RequireAuthorization(Roles.FeedbackManage);
        group.MapPost("/", Register).WithName("RegisterComplaint")
            .WithSummary("Registers a complaint received on paper or by phone (Idempotency-Key header); the complainant gets its reference code.");
        group.MapGet("/", List).WithName("ListComplaints").WithSummary("Complaints newest first; overdue=true lists open ones past their deadline.");
        group.MapGet("/{id:guid}", Get).WithName("GetComplaint").WithSummary("A complaint with every step: who, when and why.");
        group.MapPost("/{id:guid}/steps", Step).WithName("AddComplaintStep")
            .WithSummary("Moves a complaint on: assign, start_review, resolve (upheld / not_upheld) or forward to the prosecutor's office; a reason is required.");
        return group;
    }

    private static async Task<Results<Created<ComplaintResponse>, Ok<ComplaintResponse>, ValidationProblem, ProblemHttpResult>> Register(
        ComplaintRequest? request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user, ComplaintStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var errors = Validation.Complaint(request, now);
        Validation.IdempotencyKey(errors, idempotencyKey);

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var r = request!;
        if (!user.CanAccessRegion(r.Region!))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside your region",
                detail: "Your token is limited to another region.");
        }

        var data = new ComplaintData(r.Region!.ToUpperInvariant(), r.Unit!.Trim(), r.Category!, CommentText.Masked(r.Description)!, r.IncidentAt?.ToUniversalTime(),
            "registered", Problems.Actor(user), user.ClientId() ?? "unknown", idempotencyKey);
        return await store.CreateAsync(data, ct) switch
        {
            ComplaintOutcome.Done d => TypedResults.Created($"/api/feedback/complaints/{d.Complaint.Id}", ComplaintResponse.From(d.Complaint, now)),
            ComplaintOutcome.Repeated rep when user.CanAccessRegion(rep.Complaint.Region) => TypedResults.Ok(ComplaintResponse.From(rep.Complaint, now)),
            ComplaintOutcome.Repeated or ComplaintOutcome.KeyReused => Problems.AlreadyUsed("Idempotency-Key"),
            var other => throw new InvalidOperationException($"Unexpected outcome {other.GetType().Name}"),
        };
    }

    private static async Task<Results<Ok<IReadOnlyList<ComplaintResponse>>, ValidationProblem, ProblemHttpResult>> List(
        string? region, string? status, bool? overdue, DateTimeOffset? before, int? limit, ClaimsPrincipal user, ComplaintStore store, TimeProvider clock,
        CancellationToken ct)
    {
        var e = new Dictionary<string, string[]>();
        Validation.Region(e, "region", region, required: false);
        string[] statuses = [.. ComplaintStatuses.Open, ComplaintStatuses.Resolved, ComplaintStatuses.Forwarded];
        if (status is not null && !statuses.Contains(status)) e["status"] = [$"status must be one of {string.Join(", ", statuses)}."];
        if (limit is not null and not (>= 1 and <= MaxList)) e["limit"] = [$"limit must be between 1 and {MaxList}."];
        if (e.Count > 0)
        {
            return TypedResults.ValidationProblem(e);
        }

        if (Problems.Scope(user, region) is not { } regions)
        {
            return Problems.NotFound("Region");
        }

        var now = clock.GetUtcNow();
        var list = await store.ListAsync(regions, status, overdue ?? false, before?.ToUniversalTime(), limit ?? 50, ct);
        return TypedResults.Ok<IReadOnlyList<ComplaintResponse>>(list.Select(c => ComplaintResponse.From(c, now)).ToArray());
    }

    private static async Task<Results<Ok<ComplaintResponse>, ProblemHttpResult>> Get(
        Guid id, ClaimsPrincipal user, ComplaintStore store, TimeProvider clock, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } c && user.CanAccessRegion(c.Region)
            ? TypedResults.Ok(ComplaintResponse.From(c, clock.GetUtcNow()))
            : Problems.NotFound("Complaint");

    private static async Task<Results<Ok<ComplaintResponse>, ValidationProblem, ProblemHttpResult>> Step(
        Guid id, ComplaintStepRequest? request, ClaimsPrincipal user, ComplaintStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validation.Step(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var r = request!;
        var action = new ComplaintAction(r.Action!, Problems.Actor(user), r.Reason!.Trim(), r.Assignee?.Trim(), r.Outcome);
        return await store.ApplyAsync(id, action, user.CanAccessRegion, ct) switch
        {
            ComplaintOutcome.Done d => TypedResults.Ok(ComplaintResponse.From(d.Complaint, clock.GetUtcNow())),
            ComplaintOutcome.NotAllowed n => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Step not allowed",
                detail: $"A complaint that is {n.Status} can't be moved on with {r.Action}."),
            _ => Problems.NotFound("Complaint"),
        };
    }
}
