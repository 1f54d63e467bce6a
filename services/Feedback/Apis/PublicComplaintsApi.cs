using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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
            .WithSummary("Files a complaint about police conduct; answers the reference code to follow it with. No contact details are accepted. "
                + "An optional Idempotency-Key header (a random value of 16 to 100 characters per complaint form) makes a repeat return the first receipt.");
        group.MapGet("/{referenceCode}", Status).WithName("GetComplaintStatus")
            .WithSummary("The status and history of a complaint by its reference code (no handler names or internal reasons).");
        return group;
    }

    private static async Task<Results<Created<ComplaintReceipt>, Ok<ComplaintReceipt>, ValidationProblem, ProblemHttpResult>> File(
        ComplaintRequest? request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ComplaintStore store, TimeProvider clock,
        CancellationToken ct)
    {
        var (errors, outcome) = await CitizenOperations.FileComplaintAsync(request, idempotencyKey, store, clock, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return outcome switch
        {
            ComplaintOutcome.Done d => TypedResults.Created($"/api/feedback/public/complaints/{d.Complaint.ReferenceCode}", Receipt(d.Complaint)),
            ComplaintOutcome.Repeated rep => TypedResults.Ok(Receipt(rep.Complaint)),
            ComplaintOutcome.KeyReused => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency-Key already used",
                detail: "This Idempotency-Key was sent with a different complaint. Send a new key with each new complaint."),
            var other => throw new InvalidOperationException($"Unexpected outcome {other?.GetType().Name}"),
        };
    }

    private static ComplaintReceipt Receipt(Complaint c) => new(c.ReferenceCode, c.Status, c.ReceivedAt, c.DueAt);

    private static async Task<Results<Ok<PublicComplaintStatus>, ProblemHttpResult>> Status(string referenceCode, ComplaintStore store, CancellationToken ct)
    {
        return await CitizenOperations.ComplaintStatusAsync(referenceCode, store, ct) is { } status
            ? TypedResults.Ok(status)
            : Problems.NotFound("Complaint");
    }
}
