using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Apis;

/// <summary>A person's rules and check-ins: zones with curfews, approved exceptions, custody. Supervising officer only.</summary>
public static class RulesApi
{
    private static readonly TimeSpan MaxException = TimeSpan.FromDays(31);
    private static readonly TimeSpan MaxCustody = TimeSpan.FromDays(3650);

    public static RouteGroupBuilder MapRulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/probation/persons/{id:guid}").WithTags("Rules").RequireAuthorization(Roles.ProbationOfficer);
        group.MapPost("/zones", AddZoneAsync).WithName("AddZone").WithSummary("Adds an inclusion zone (with curfews) or an exclusion zone (inner and outer ring)");
        group.MapGet("/zones", ZonesAsync).WithName("ListZones").WithSummary("The person's zones");
        group.MapDelete("/zones/{zoneId:guid}", DeleteZoneAsync).WithName("DeleteZone").WithSummary("Removes a zone");
        group.MapPost("/exceptions", AddExceptionAsync).WithName("ApproveException").WithSummary("Approves an absence from curfew (work, medical, court)");
        group.MapGet("/exceptions", ExceptionsAsync).WithName("ListExceptions").WithSummary("Approved exceptions, newest first");
        group.MapPost("/custody", AddCustodyAsync).WithName("RecordCustody").WithSummary("Records a custody period; violations in it raise no alert");
        group.MapGet("/custody", CustodyAsync).WithName("ListCustody").WithSummary("Custody periods, newest first");
        group.MapPost("/custody/{custodyId:guid}/end", EndCustodyAsync).WithName("EndCustody")
            .WithSummary("Ends a custody period (release); violations after it raise alerts again");
        group.MapPost("/check-ins", CheckInAsync).WithName("RecordCheckIn").WithSummary("Records an in-person check-in (Idempotency-Key accepted)");
        return group;
    }

    public static async Task<Results<Created<ZoneDto>, ValidationProblem, ProblemHttpResult>> AddZoneAsync(
        Guid id, ZoneRequest? request, ClaimsPrincipal user, PersonStore store, CancellationToken ct)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, store, supervisorOnly: true, ct);
        if (person is null) return problem!;
        var errors = Validation.Zone(request);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return await store.AddZoneAsync(id, request!, ct) is { } zone
            ? TypedResults.Created($"/api/probation/persons/{id}/zones/{zone.Id}", zone)
            : Problems.Conflict($"A person has at most {PersonStore.MaxZonesPerPerson} zones: remove one first.");
    }

    public static async Task<Results<Ok<List<ZoneDto>>, ProblemHttpResult>> ZonesAsync(Guid id, ClaimsPrincipal user, PersonStore store, CancellationToken ct)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, store, supervisorOnly: true, ct);
        return person is null ? problem! : TypedResults.Ok(await store.ZonesAsync(id, ct));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteZoneAsync(Guid id, Guid zoneId, ClaimsPrincipal user, PersonStore store, CancellationToken ct)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, store, supervisorOnly: true, ct);
        if (person is null) return problem!;
        return await store.DeleteZoneAsync(id, zoneId, ct) ? TypedResults.NoContent() : Problems.NotFound("zone");
    }

    public static async Task<Results<Created<ExceptionDto>, ValidationProblem, ProblemHttpResult>> AddExceptionAsync(
        Guid id, ExceptionRequest? request, ClaimsPrincipal user, PersonStore store, CancellationToken ct)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, store, supervisorOnly: true, ct);
        if (person is null) return problem!;
        var errors = Validation.Period(request?.StartsAt, request?.EndsAt, endRequired: true, MaxException);
        Validation.OneOf(errors, "reason", request?.Reason, Validation.ExceptionReasons);
        Validation.Text(errors, "note", request?.Note, required: false, max: 1000);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var dto = await store.AddExceptionAsync(id, request! with { StartsAt = request.StartsAt.ToUtc(), EndsAt = request.EndsAt.ToUtc() }, user.Subject()!, ct);
        return TypedResults.Created($"/api/probation/persons/{id}/exceptions/{dto.Id}", dto);
    }

    public static async Task<Results<Ok<List<ExceptionDto>>, ProblemHttpResult>> ExceptionsAsync(Guid id, ClaimsPrincipal user, PersonStore store, CancellationToken ct)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, store, supervisorOnly: true, ct);
        return person is null ? problem! : TypedResults.Ok(await store.ExceptionsAsync(id, ct));
    }

    public static async Task<Results<Created<CustodyDto>, ValidationProblem, ProblemHttpResult>> AddCustodyAsync(
        Guid id, CustodyRequest? request, ClaimsPrincipal user, PersonStore store, CancellationToken ct)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, store, supervisorOnly: true, ct);
        if (person is null) return problem!;
        var errors = Validation.Period(request?.StartsAt, request?.EndsAt, endRequired: false, MaxCustody);
        Validation.Text(errors, "note", request?.Note, required: false, max: 1000);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var dto = await store.AddCustodyAsync(id, request! with { StartsAt = request.StartsAt.ToUtc(), EndsAt = request.EndsAt.ToUtc() }, user.Subject()!, ct);
        return TypedResults.Created($"/api/probation/persons/{id}/custody/{dto.Id}", dto);
    }

    public static async Task<Results<Ok<List<CustodyDto>>, ProblemHttpResult>> CustodyAsync(Guid id, ClaimsPrincipal user, PersonStore store, CancellationToken ct)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, store, supervisorOnly: true, ct);
        return person is null ? problem! : TypedResults.Ok(await store.CustodyAsync(id, ct));
    }

    public static async Task<Results<Ok<CustodyDto>, ValidationProblem, ProblemHttpResult>> EndCustodyAsync(
        Guid id, Guid custodyId, CustodyEndRequest? request, ClaimsPrincipal user, PersonStore store, TimeProvider time, CancellationToken ct)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, store, supervisorOnly: true, ct);
        if (person is null) return problem!;
        if (await store.CustodyAsync(id, custodyId, ct) is not { } custody) return Problems.NotFound("custody period");
        var now = time.GetUtcNow();
        var end = request?.EndsAt.ToUtc() ?? now;
        // A release is a fact: a future end belongs in the period as recorded, not here.
        if (end <= custody.StartsAt || end > now + Validation.MaxClockSkew)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["endsAt"] = ["endsAt must be after the custody start and not in the future."] });
        return await store.EndCustodyAsync(id, custodyId, end, user.Subject()!, ct) is { } ended
            ? TypedResults.Ok(ended)
            : Problems.Conflict("The custody period has already ended.");
    }

    public static async Task<Results<Created<CheckInDto>, Ok<CheckInDto>, ValidationProblem, ProblemHttpResult>> CheckInAsync(
        Guid id, CheckInRequest? request, ClaimsPrincipal user, PersonStore store, TimeProvider time, CancellationToken ct,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey = null)
    {
        var (person, problem) = await PersonsApi.FindAsync(id, user, store, supervisorOnly: true, ct);
        if (person is null) return problem!;
        var errors = new Dictionary<string, string[]>();
        Validation.Text(errors, "unit", request?.Unit, required: true, max: 200);
        if (request?.SurveyConsent is null) errors["surveyConsent"] = ["surveyConsent is required (the person's answer)."];
        if (request?.CheckedInAt is { } at && (at > time.GetUtcNow() + Validation.MaxClockSkew || at < person.SupervisionStart))
            errors["checkedInAt"] = ["checkedInAt must be within the supervision and not in the future."];
        Validation.Text(errors, "Idempotency-Key", idempotencyKey, required: false, max: 100);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var (checkIn, created) = await store.CheckInAsync(person, request! with { CheckedInAt = request.CheckedInAt.ToUtc() }, user.Subject()!, idempotencyKey, ct);
        if (checkIn is null) return Problems.Conflict("The Idempotency-Key was already used for a check-in of another person.");
        return created ? TypedResults.Created($"/api/probation/persons/{id}/check-ins/{checkIn.Id}", checkIn) : TypedResults.Ok(checkIn);
    }
}
