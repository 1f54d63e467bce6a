using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;

namespace PublicSafety.Feedback.Apis;

/// <summary>
/// Citizens' routes, anonymous: the gateway exposes <c>/api/feedback/public/**</c> without a token and with a strict
/// per-IP rate limit. The survey token travels in the body, never in the URL, so that it stays out of access logs.
/// </summary>
public static class PublicSurveyApi
{
    public static RouteGroupBuilder MapPublicSurveyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/feedback/public").WithTags("Public").AllowAnonymous();
        group.MapPost("/surveys/describe", Describe).WithName("DescribeSurvey")
            .WithSummary("What the invitation's survey is about (kind of service, date, criteria), so the form can be shown.");
        group.MapPost("/surveys/responses", Submit).WithName("SubmitSurvey")
            .WithSummary("Answers a survey with its one-time token: the five criteria and the overall score (1-5), an optional comment.");
        group.MapPost("/feedback", Unsolicited).WithName("SubmitUnsolicitedFeedback")
            .WithSummary("Feedback without an invitation: accepted and counted as unverified in every indicator.");
        return group;
    }

    private static async Task<Results<Ok<SurveyDescriptionResponse>, ValidationProblem, ProblemHttpResult>> Describe(
        TokenRequest? request, SurveyStore surveys, CancellationToken ct)
    {
        var (errors, survey, refusal) = await CitizenOperations.DescribeSurveyAsync(request?.Token, surveys, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return survey is not null
            ? TypedResults.Ok(new SurveyDescriptionResponse(survey.Kind, survey.Channel, survey.Region, survey.OccurredOn, survey.ExpiresAt, Criteria.All))
            : Refused(refusal!);
    }

    private static async Task<Results<Created<ResponseAccepted>, ValidationProblem, ProblemHttpResult>> Submit(
        SurveySubmission? request, SurveyStore surveys, CancellationToken ct)
    {
        var (errors, outcome) = await CitizenOperations.AnswerSurveyAsync(request, surveys, ct);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return outcome switch
        {
            SubmitOutcome.Accepted a => TypedResults.Created((string?)null, new ResponseAccepted(a.ResponseId, Verified: true)),
            var refusal => Refused(refusal!),
        };
    }

    private static async Task<Results<Created<ResponseAccepted>, ValidationProblem>> Unsolicited(
        UnsolicitedFeedback? request, SurveyStore surveys, CancellationToken ct)
    {
        var (errors, id) = await CitizenOperations.GiveFeedbackAsync(request, surveys, ct);
        return errors.Count > 0
            ? TypedResults.ValidationProblem(errors)
            : TypedResults.Created((string?)null, new ResponseAccepted(id!.Value, Verified: false));
    }

    private static ProblemHttpResult Refused(SubmitOutcome refusal) => refusal switch
    {
        SubmitOutcome.Expired => TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Survey expired",
            detail: "This survey invitation has expired; it can no longer be answered."),
        SubmitOutcome.AlreadyUsed => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Survey already answered",
            detail: "This survey invitation has already been used; each invitation accepts one response."),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown survey",
            detail: "No survey invitation matches this code. Check the link you received."),
    };
}
