using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Feedback.Apis;

/// <summary>
/// Police systems (the 102 dispatch system, the registry of applications, the 1402 service) register the services they
/// gave. They call with a client-credentials token holding <c>feedback.manage</c>; the token's client (azp) is the
/// source, so two systems' references never collide and one system's retry returns the first registration.
/// </summary>
public static class InteractionsApi
{
    public static RouteGroupBuilder MapInteractionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/feedback/interactions").WithTags("Interactions");
        group.MapPost("/", Register).RequireAuthorization(Access.Record).WithName("RegisterInteraction")
            .WithSummary("Registers a service given to a citizen; issues a survey invitation when the citizen consented and no suppression rule matches.");
        group.MapGet("/{id:guid}", Get).RequireAuthorization(Access.Analyse).WithName("GetInteraction")
            .WithSummary("An interaction and its survey decision (never the token).");
        return group;
    }

    private static async Task<Results<Created<InteractionResponse>, Ok<InteractionResponse>, ValidationProblem, ProblemHttpResult>> Register(
        InteractionRequest? request, ClaimsPrincipal user, InteractionStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validation.Interaction(request, clock.GetUtcNow());
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

        var data = new InteractionData(user.ClientId() ?? "unknown", r.Reference!, r.Kind!, r.OffenceCategory, r.Region!.ToUpperInvariant(), r.Unit!.Trim(),
            r.Channel!, r.OccurredAt!.Value.ToUniversalTime(), r.SurveyConsent!.Value, r.SurveyConsent.Value ? r.SafeChannel : null);
        var outcome = await store.RegisterAsync(data, ct);
        if (!outcome.Created && !user.CanAccessRegion(outcome.Interaction.Region))
        {
            return Problems.AlreadyUsed("reference");
        }

        var body = InteractionResponse.From(outcome.Interaction);
        return outcome.Created ? TypedResults.Created($"/api/feedback/interactions/{body.Id}", body) : TypedResults.Ok(body);
    }

    private static async Task<Results<Ok<InteractionResponse>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, InteractionStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } i && user.CanAccessRegion(i.Region)
            ? TypedResults.Ok(InteractionResponse.From(i))
            : Problems.NotFound("Interaction");
}
