using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PublicSafety.CrisisCapacity.Extensions;
using PublicSafety.CrisisCapacity.Infrastructure;
using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.CrisisCapacity.Apis;

public static class ReservationsApi
{
    public static RouteGroupBuilder MapReservationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/crisis/reservations").WithTags("Reservations").RequireAuthorization(Roles.CrisisPlacement);
        group.MapPost("/", Reserve).WithName("ReserveBeds")
            .WithSummary("Holds beds for a case code while the person is brought in (Idempotency-Key header; 409 with nearby alternatives when full).");
        group.MapGet("/{id:guid}", GetReservation).WithName("GetReservation").WithSummary("A hold and its status (expiry applies on read).");
        group.MapDelete("/{id:guid}", Release).WithName("ReleaseReservation").WithSummary("Releases a live hold.");
        group.MapPost("/{id:guid}/placement", Convert).WithName("ConvertReservationToPlacement")
            .WithSummary("Admits the person a live hold was for, with the ages of accompanying children.");
        return group;
    }

    private static async Task<Results<Created<ReservationResponse>, Ok<ReservationResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Reserve(
        ReservationRequest? request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user,
        BedLedger ledger, CrisisMetrics metrics, IOptions<CrisisOptions> options, CancellationToken ct)
    {
        var errors = Validation.Reservation(request, idempotencyKey);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var access = CrisisAccess.Of(user);
        var command = new ReserveCommand(request!.FacilityId!.Value, request.Category!, request.CaseCode!, request.Beds ?? 1, access.Caller, idempotencyKey!);
        return metrics.Booking("reserve", await ledger.ReserveAsync(command, options.Value.ReservationHold, access, ct)) switch
        {
            ReserveOutcome.Created c => TypedResults.Created($"/api/crisis/reservations/{c.Reservation.Id}", ReservationResponse.From(c.Reservation)),
            ReserveOutcome.Repeated r => TypedResults.Ok(ReservationResponse.From(r.Reservation)),
            ReserveOutcome.NotFound => TypedResults.NotFound(),
            ReserveOutcome.OutOfRegion => Problems.KeyUsedOutOfRegion(),
            ReserveOutcome.KeyReused => Problems.KeyReused(),
            ReserveOutcome.Full full => Problems.NoFreeBeds(full.Alternatives),
            var other => throw new InvalidOperationException($"Unexpected outcome {other.GetType().Name}"),
        };
    }

    private static async Task<Results<Ok<ReservationResponse>, NotFound>> GetReservation(Guid id, ClaimsPrincipal user, BedLedger ledger, CancellationToken ct) =>
        await ledger.GetReservationAsync(id, CrisisAccess.Of(user), ct) is { } reservation
            ? TypedResults.Ok(ReservationResponse.From(reservation))
            : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> Release(
        Guid id, ClaimsPrincipal user, BedLedger ledger, CrisisMetrics metrics, CancellationToken ct) =>
        metrics.Booking("release", await ledger.ReleaseAsync(id, CrisisAccess.Of(user), ct)) switch
        {
            PlaceOutcome.NotHeld { Status: ReservationStatuses.Released } => TypedResults.NoContent(),
            PlaceOutcome.NotFound => TypedResults.NotFound(),
            PlaceOutcome.NotHeld n => NotHeld(n.Status),
            var other => throw new InvalidOperationException($"Unexpected outcome {other.GetType().Name}"),
        };

    private static async Task<Results<Created<PlacementResponse>, ValidationProblem, NotFound, ProblemHttpResult>> Convert(
        Guid id, PlacementRequest? request, ClaimsPrincipal user, BedLedger ledger, CrisisMetrics metrics, CancellationToken ct)
    {
        var errors = Validation.Placement(request);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var access = CrisisAccess.Of(user);
        var ages = request?.ChildrenAges?.ToArray() ?? [];
        if (await ledger.GetReservationAsync(id, access, ct) is { } held && ages.Length > held.Beds - 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["childrenAges"] = [$"The hold is for {held.Beds} bed(s): at most {held.Beds - 1} accompanying children."],
            });
        }

        return metrics.Booking("convert", await ledger.ConvertAsync(id, ages, access, ct)) switch
        {
            PlaceOutcome.Placed p => TypedResults.Created($"/api/crisis/placements/{p.Placement.Id}", PlacementResponse.From(p.Placement)),
            PlaceOutcome.NotFound => TypedResults.NotFound(),
            PlaceOutcome.NotHeld n => NotHeld(n.Status),
            var other => throw new InvalidOperationException($"Unexpected outcome {other.GetType().Name}"),
        };
    }

    private static ProblemHttpResult NotHeld(string status) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Reservation not held",
        detail: $"The reservation is {status}.", extensions: new Dictionary<string, object?> { ["reservationStatus"] = status });
}
