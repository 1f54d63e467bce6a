using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Feedback.Apis;

/// <summary>
/// The venue safety rating (action plan 5.2): venues and the 102 signals linked to them are kept by police systems
/// (<c>feedback.ingest</c>, or <c>feedback.manage</c>); the rating is previewed by analysts, published per half-year, and listed publicly.
/// </summary>
public static class VenuesApi
{
    public static RouteGroupBuilder MapVenuesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/feedback/venues").WithTags("Venues").RequireAuthorization(Policies.AnyOf("feedback"));
        group.MapPost("/", Create).RequireAuthorization(Access.Record).WithName("CreateVenue")
            .WithSummary("Registers an entertainment venue (Idempotency-Key header: a retry returns the first venue).");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(Access.Analyse).WithName("GetVenue").WithSummary("A venue.");
        group.MapPost("/{id:guid}/signals", Signal).RequireAuthorization(Access.Record).WithName("RecordVenueSignal")
            .WithSummary("Links a 102 call about an offence to the venue (deduplicated by the call reference; 409 if it is linked to another venue).");
        group.MapGet("/ratings/{period}", Preview).RequireAuthorization(Access.Analyse).WithName("PreviewVenueRating").WithSummary("The rating of a half-year (e.g. 2025-H2) computed now.");
        group.MapPost("/ratings/{period}/publish", Publish).RequireAuthorization(Roles.FeedbackManage).WithName("PublishVenueRating")
            .WithSummary("Freezes a finished half-year's rating for every region and makes it public.");

        app.MapGet("/api/feedback/public/venues", PublicList).AllowAnonymous().WithTags("Public").WithName("ListVenueSafetyRating")
            .WithSummary("The published venue safety rating (latest half-year unless period is given), optionally for one region.");
        return group;
    }

    private static async Task<Results<Created<VenueResponse>, Ok<VenueResponse>, ValidationProblem, ProblemHttpResult>> Create(
        VenueRequest? request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user, VenueStore store, CancellationToken ct)
    {
        var errors = Validation.Venue(request);
        Validation.IdempotencyKey(errors, idempotencyKey);

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var r = request!;
        if (!user.CanAccessRegion(r.Region!))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside your region", detail: "Your token is limited to another region.");
        }

        var (venue, created) = await store.CreateAsync(new VenueData(r.Name!.Trim(), r.Kind!, r.Region!.ToUpperInvariant(), r.Settlement!.Trim(),
            r.Address!.Trim(), r.Latitude, r.Longitude), user.ClientId() ?? "unknown", idempotencyKey!, ct);
        if (!created && !user.CanAccessRegion(venue.Data.Region))
        {
            return Problems.AlreadyUsed("Idempotency-Key");
        }

        return created ? TypedResults.Created($"/api/feedback/venues/{venue.Id}", VenueResponse.From(venue)) : TypedResults.Ok(VenueResponse.From(venue));
    }

    private static async Task<Results<Ok<VenueResponse>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, VenueStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } v && user.CanAccessRegion(v.Data.Region) ? TypedResults.Ok(VenueResponse.From(v)) : Problems.NotFound("Venue");

    private static async Task<Results<Created<SignalResponse>, Ok<SignalResponse>, ValidationProblem, ProblemHttpResult>> Signal(
        Guid id, SignalRequest? request, ClaimsPrincipal user, VenueStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validation.Signal(request, clock.GetUtcNow());
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (await store.GetAsync(id, ct) is not { } venue || !user.CanAccessRegion(venue.Data.Region))
        {
            return Problems.NotFound("Venue");
        }

        var r = request!;
        var (signal, created) = await store.RecordSignalAsync(id, user.ClientId() ?? "unknown", r.CallReference!, r.SignalType!, r.ReceivedAt!.Value.ToUniversalTime(), ct);
        if (signal.VenueId != id)
        {
            // One call card is one event at one place: linking it to a second venue is a mistake on one side, not a retry.
            var visible = await store.GetAsync(signal.VenueId, ct) is { } other && user.CanAccessRegion(other.Data.Region);
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Call linked to another venue",
                detail: "This call reference from your system is already recorded as a signal of another venue; a call is linked to one venue only.",
                extensions: visible ? new Dictionary<string, object?> { ["signalId"] = signal.Id, ["venueId"] = signal.VenueId } : null);
        }

        var body = new SignalResponse(signal.Id, signal.VenueId, signal.SignalType, signal.ReceivedAt);
        return created ? TypedResults.Created($"/api/feedback/venues/{id}", body) : TypedResults.Ok(body);
    }

    private static async Task<Results<Ok<RatingResponse>, ValidationProblem, ProblemHttpResult>> Preview(
        string period, string? region, ClaimsPrincipal user, VenueStore store, CancellationToken ct)
    {
        var e = new Dictionary<string, string[]>();
        if (!HalfYear.TryParse(period, out var half)) e["period"] = ["period must be a half-year such as 2025-H2."];
        Validation.Region(e, "region", region, required: false);
        if (e.Count > 0)
        {
            return TypedResults.ValidationProblem(e);
        }

        if (Problems.Scope(user, region) is not { } regions)
        {
            return Problems.NotFound("Region");
        }

        var ratings = await store.ComputeAsync(half, regions, ct);
        return TypedResults.Ok(new RatingResponse(half.ToString(), false, ratings.Select(RatingDto.From).ToArray()));
    }

    private static async Task<Results<Ok<RatingResponse>, ValidationProblem, ProblemHttpResult>> Publish(
        string period, ClaimsPrincipal user, VenueStore store, TimeProvider clock, CancellationToken ct)
    {
        if (!HalfYear.TryParse(period, out var half))
        {
            return Problems.Invalid("period", "period must be a half-year such as 2025-H2.");
        }

        if (user.Region() is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "National scope required",
                detail: "The rating is published for every region at once, by a national user.");
        }

        if (half.End > clock.GetUtcNow())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Half-year not over",
                detail: "A half-year's rating is published after it ends.");
        }

        var (published, _) = await store.PublishAsync(half, ct);
        if (!published)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already published",
                detail: "This half-year's rating has been published and is frozen.");
        }

        var (_, ratings) = await store.PublishedAsync(half, null, ct);
        return TypedResults.Ok(new RatingResponse(half.ToString(), true, ratings.Select(RatingDto.From).ToArray()));
    }

    private static async Task<Results<Ok<RatingResponse>, ValidationProblem>> PublicList(string? period, string? region, VenueStore store, CancellationToken ct)
    {
        var e = new Dictionary<string, string[]>();
        HalfYear half = default;
        if (period is not null && !HalfYear.TryParse(period, out half)) e["period"] = ["period must be a half-year such as 2025-H2."];
        Validation.Region(e, "region", region, required: false);
        if (e.Count > 0)
        {
            return TypedResults.ValidationProblem(e);
        }

        var (published, ratings) = await store.PublishedAsync(period is null ? null : half, region?.ToUpperInvariant(), ct);
        return TypedResults.Ok(new RatingResponse(published, ratings.Count > 0, ratings.Select(RatingDto.From).ToArray()));
    }
}
