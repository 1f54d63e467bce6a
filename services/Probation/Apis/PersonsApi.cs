using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Apis;

/// <summary>
/// <c>/api/probation/persons</c>: monitored persons. The supervising officer (probation.officer whose token subject is
/// the person's officer) sees and manages everything; probation.read sees the persons of its region without identity,
/// rules or locations; anyone else gets 404.
/// </summary>
public static class PersonsApi
{
    public static RouteGroupBuilder MapPersonsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/probation/persons").WithTags("Persons").RequireAuthorization(Policies.AnyOf("probation"));
        group.MapPost("", CreateAsync).RequireAuthorization(Roles.ProbationOfficer).WithName("CreatePerson")
            .WithSummary("Places a person under monitoring; the caller supervises (Idempotency-Key accepted)");
        group.MapGet("", ListAsync).WithName("ListPersons").WithSummary("The caller's persons (officer) or the region's (scope=region, probation.read)");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetPerson").WithSummary("One person; identity only for the supervising officer");
        group.MapPatch("/{id:guid}/supervision", UpdateSupervisionAsync).RequireAuthorization(Roles.ProbationOfficer)
            .WithName("UpdateSupervision").WithSummary("Changes the supervision end or hands the person to another officer");
        return group;
    }

    /// <summary>The person if the caller may see it; a 404 problem otherwise, a 403 when <paramref name="supervisorOnly"/> and the caller only reads.</summary>
    internal static async Task<(PersonRow? Person, ProblemHttpResult? Problem)> FindAsync(Guid id, ClaimsPrincipal user, PersonStore store, bool supervisorOnly,
        CancellationToken ct)
    {
        var person = await store.GetAsync(id, ct);
        var access = person is null ? PersonAccess.None : user.AccessTo(person.OfficerSubject, person.Region);
        return access switch
        {
            PersonAccess.None => (null, Problems.NotFound()),
            PersonAccess.Summary when supervisorOnly => (null, Problems.Forbidden("Only the supervising officer may do this.")),
            _ => (person, null),
        };
    }

    public static async Task<Results<Created<PersonDto>, Ok<PersonDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        PersonRequest? request, ClaimsPrincipal user, PersonStore store, TimeProvider time, CancellationToken ct, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey = null)
    {
        var errors = Validation.Person(request, time);
        Validation.Text(errors, "Idempotency-Key", idempotencyKey, required: false, max: 100);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (user.Subject() is not { } officer)
        {
            return Problems.Forbidden("The token has no subject: only officers' own tokens can supervise persons.");
        }

        if (!user.CanAccessRegion(request!.Region!))
        {
            return Problems.Forbidden("Officers place persons under monitoring in their own region only.");
        }

        var times = request with { SupervisionStart = request.SupervisionStart.ToUtc(), SupervisionEnd = request.SupervisionEnd.ToUtc() };
        var (person, created) = await store.CreateAsync(times, officer, idempotencyKey, user.Scope(), ct);
        if (person is null)
        {
            return Problems.Conflict("This Idempotency-Key was already used for another placement: send a new key with each placement.");
        }

        return created
            ? TypedResults.Created($"/api/probation/persons/{person.Id}", person.ToDto(PersonAccess.Supervisor))
            : TypedResults.Ok(person.ToDto(PersonAccess.Supervisor));
    }

    public static async Task<Results<Ok<PersonDto[]>, ValidationProblem, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, PersonStore store, CancellationToken ct, [FromQuery] string? scope = null, [FromQuery] Guid? after = null, [FromQuery] int limit = 100)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be between 1 and 500."] });
        }

        if (scope is not (null or "own" or "region"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["scope"] = ["scope must be own or region."] });
        }

        var regional = scope == "region" || (scope is null && !user.IsInRole(Roles.ProbationOfficer));
        if (regional && !user.IsInRole(Roles.ProbationRead))
        {
            return Problems.Forbidden("Listing a region's persons needs probation.read.");
        }

        if (!regional && (!user.IsInRole(Roles.ProbationOfficer) || user.Subject() is null))
        {
            return Problems.Forbidden("Listing own persons needs probation.officer.");
        }

        var rows = await store.ListAsync(regional ? null : user.Subject(), user.Scope(), after, limit, ct);
        return TypedResults.Ok(rows.Select(p => p.ToDto(user.AccessTo(p.OfficerSubject, p.Region))).ToArray());
    }

    public static async Task<Results<Ok<PersonDto>, ProblemHttpResult>> GetAsync(Guid id, ClaimsPrincipal user, PersonStore store, CancellationToken ct)
    {
        var (person, problem) = await FindAsync(id, user, store, supervisorOnly: false, ct);
        return person is null ? problem! : TypedResults.Ok(person.ToDto(user.AccessTo(person.OfficerSubject, person.Region)));
    }

    public static async Task<Results<Ok<PersonDto>, ValidationProblem, ProblemHttpResult>> UpdateSupervisionAsync(
        Guid id, SupervisionRequest? request, ClaimsPrincipal user, PersonStore store, CancellationToken ct)
    {
        var (person, problem) = await FindAsync(id, user, store, supervisorOnly: true, ct);
        if (person is null)
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>();
        if (request is null || (request.SupervisionEnd is null && request.OfficerSubject is null))
            errors["body"] = ["Give supervisionEnd, officerSubject or both."];
        else if (request.SupervisionEnd is { } end && end <= person.SupervisionStart)
            errors["supervisionEnd"] = ["supervisionEnd must be after the supervision start."];
        // Given at all, it must name someone: a blank subject would leave the person supervised by nobody.
        Validation.Text(errors, "officerSubject", request?.OfficerSubject, required: request?.OfficerSubject is not null, max: 100);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        await store.UpdateSupervisionAsync(id, request!.SupervisionEnd.ToUtc(), request.OfficerSubject?.Trim(), ct);
        var updated = (await store.GetAsync(id, ct))!;
        return TypedResults.Ok(updated.ToDto(user.AccessTo(updated.OfficerSubject, updated.Region)));
    }
}
