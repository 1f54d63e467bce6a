using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PublicSafety.CrisisCapacity.Infrastructure;
using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.CrisisCapacity.Apis;

public static class PlacementsApi
{
    public static RouteGroupBuilder MapPlacementsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/crisis/placements").WithTags("Placements").RequireAuthorization(Roles.CrisisPlacement);
        group.MapPost("/", Admit).WithName("AdmitWithoutReservation")
            .WithSummary("Admits a person who arrived without a hold (Idempotency-Key header; 409 with nearby alternatives when full).");
        group.MapGet("/{id:guid}", GetPlacement).WithName("GetPlacement").WithSummary("A placement, with its length of stay once discharged.");
        group.MapPost("/{id:guid}/discharge", Discharge).WithName("DischargePlacement").WithSummary("Ends a placement with a reason; frees its beds.");
        return group;
    }

    private static async Task<Results<Created<PlacementResponse>, Ok<PlacementResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Admit(
        AdmissionRequest? request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user, BedLedger ledger, CrisisMetrics metrics, CancellationToken ct)
    {
        var errors = Validation.Admission(request, idempotencyKey);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var access = CrisisAccess.Of(user);
        var command = new AdmitCommand(request!.FacilityId!.Value, request.Category!, request.CaseCode!, request.ChildrenAges?.ToArray() ?? [],
            access.Caller, idempotencyKey!);
        return metrics.Booking("admit", await ledger.AdmitAsync(command, access, ct)) switch
        {
            PlaceOutcome.Placed p => TypedResults.Created($"/api/crisis/placements/{p.Placement.Id}", PlacementResponse.From(p.Placement)),
            PlaceOutcome.Repeated r => TypedResults.Ok(PlacementResponse.From(r.Placement)),
            PlaceOutcome.NotFound => TypedResults.NotFound(),
            PlaceOutcome.OutOfRegion => Problems.KeyUsedOutOfRegion(),
            PlaceOutcome.KeyReused => Problems.KeyReused(),
            PlaceOutcome.Full full => Problems.NoFreeBeds(full.Alternatives),
            var other => throw new InvalidOperationException($"Unexpected outcome {other.GetType().Name}"),
        };
    }

    private static async Task<Results<Ok<PlacementResponse>, NotFound>> GetPlacement(Guid id, ClaimsPrincipal user, BedLedger ledger, CancellationToken ct) =>
        await ledger.GetPlacementAsync(id, CrisisAccess.Of(user), ct) is { } placement
            ? TypedResults.Ok(PlacementResponse.From(placement))
            : TypedResults.NotFound();

    private static async Task<Results<Ok<PlacementResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Discharge(
        Guid id, DischargeRequest? request, ClaimsPrincipal user, BedLedger ledger, CrisisMetrics metrics, CancellationToken ct)
    {
        var errors = Validation.Discharge(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var survey = new SurveyConsent(request!.SurveyConsent ?? false, request.SafeChannel);
        return metrics.Booking("discharge", await ledger.DischargeAsync(id, request.Reason!, survey, CrisisAccess.Of(user), ct)) switch
        {
            PlaceOutcome.Placed p => TypedResults.Ok(PlacementResponse.From(p.Placement)),
            PlaceOutcome.NotFound => TypedResults.NotFound(),
            PlaceOutcome.NotHeld => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already discharged",
                detail: "The placement has already ended."),
            var other => throw new InvalidOperationException($"Unexpected outcome {other.GetType().Name}"),
        };
    }
}
