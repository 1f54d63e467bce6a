using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;

namespace PublicSafety.Feedback.Apis;

/// <summary>Citizens file a complaint and follow it by its reference code (anonymous routes through the gateway).</summary>
public static class PublicComplaintsApi
{
    public static RouteGroupBuilder MapPublicComplaintsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/feedback/public/complaints").WithTags("Public").AllowAnonymous();
        group.MapPost("/", File).WithName("FileComplaint")
            .WithSummary("Files a complaint about police conduct; answers the reference code to follow it with. No contact details are accepted.");
        group.MapGet("/{referenceCode}", Status).WithName("GetComplaintStatus")
            .WithSummary("The status and history of a complaint by its reference code (no handler names or internal reasons).");
        return group;
    }

    private static async Task<Results<Created<ComplaintReceipt>, ValidationProblem>> File(
        ComplaintRequest? request, ComplaintStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validation.Complaint(request, clock.GetUtcNow());
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var r = request!;
        var data = new ComplaintData(r.Region!.ToUpperInvariant(), r.Unit!.Trim(), r.Category!, CommentText.Masked(r.Description)!, r.IncidentAt?.ToUniversalTime(),
            "public", "citizen");
        var complaint = ((ComplaintOutcome.Done)await store.CreateAsync(data, ct)).Complaint;
        return TypedResults.Created($"/api/feedback/public/complaints/{complaint.ReferenceCode}",
            new ComplaintReceipt(complaint.ReferenceCode, complaint.Status, complaint.ReceivedAt, complaint.DueAt));
    }

    private static async Task<Results<Ok<PublicComplaintStatus>, ProblemHttpResult>> Status(string referenceCode, ComplaintStore store, CancellationToken ct)
    {
        var code = referenceCode.ToUpperInvariant();
        return ReferenceCode.IsWellFormed(code) && await store.GetByReferenceAsync(code, ct) is { } c
            ? TypedResults.Ok(PublicComplaintStatus.From(c))
            : Problems.NotFound("Complaint");
    }
}
