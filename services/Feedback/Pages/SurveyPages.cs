using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using PublicSafety.Feedback.Apis;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;
using PublicSafety.Feedback.Pages.Views;

namespace PublicSafety.Feedback.Pages;

/// <summary>
/// The survey from an invitation: <c>/citizen/survey#token</c>. The token is in the fragment, which browsers never send, so it
/// reaches no access log; the page's script posts it (or the citizen pastes it), and from then on it travels in form bodies.
/// </summary>
internal static class SurveyPages
{
    public static void MapSurveyPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/survey", () => Html.Page<SurveyPage>()).WithName("SurveyPage");
        pages.MapPost("/survey/describe", Describe).WithName("DescribeSurveyFragment");
        pages.MapPost("/survey/open", Open).WithName("OpenSurveyPage");
        pages.MapPost("/survey/answer", Answer).WithName("AnswerSurveyPage");
    }

    /// <summary>For the survey page's script: the description, or the outcome that replaces the form, as a fragment of HTML.</summary>
    private static async Task<RazorComponentResult> Describe(IFormCollection form, SurveyStore surveys, CancellationToken ct)
    {
        var (errors, survey, refusal) = await CitizenOperations.DescribeSurveyAsync(Html.Text(form, "token"), surveys, ct);
        if (survey is not null)
        {
            return Html.Page<SurveyAbout>(new { Survey = survey });
        }

        var outcome = errors.Count > 0 ? Outcomes.SurveyUnknown : Refusal(refusal!);
        return Html.Page<OutcomeBlock>(new { Outcome = outcome }, outcome.Status);
    }

    private static async Task<RazorComponentResult> Open(IFormCollection form, SurveyStore surveys, IStringLocalizer<CitizenTexts> l, CancellationToken ct)
    {
        var token = Html.Text(form, "token");
        var (errors, survey, refusal) = await CitizenOperations.DescribeSurveyAsync(token, surveys, ct);
        if (errors.Count > 0)
        {
            return CodePage(token, form, errors, l);
        }

        return survey is null ? Refused(refusal!) : Html.Page<SurveyAnswerPage>(new { Token = token, Survey = survey });
    }

    private static async Task<RazorComponentResult> Answer(IFormCollection form, SurveyStore surveys, IStringLocalizer<CitizenTexts> l, CancellationToken ct)
    {
        var token = Html.Text(form, "token");
        var submission = new SurveySubmission(token, Html.Score(form, "overall"), Html.Score(form, "legality"), Html.Score(form, "thoroughness"),
            Html.Score(form, "timeliness"), Html.Score(form, "respect"), Html.Score(form, "informedness"), Html.Text(form, "comment"));
        var (errors, outcome) = await CitizenOperations.AnswerSurveyAsync(submission, surveys, ct);
        if (errors.ContainsKey("token"))
        {
            return CodePage(token, form, errors, l);
        }

        if (errors.Count > 0)
        {
            // The form again, with the survey's description and what was chosen, unless the invitation has meanwhile gone.
            var (_, survey, refusal) = await CitizenOperations.DescribeSurveyAsync(token, surveys, ct);
            return survey is null
                ? Refused(refusal!)
                : Html.Page<SurveyAnswerPage>(new { Token = token, Survey = survey, Values = Html.Values(form), Errors = PageErrors.From(errors, l) },
                    StatusCodes.Status400BadRequest);
        }

        return outcome is SubmitOutcome.Accepted ? Html.Outcome(Outcomes.SurveyThanks) : Refused(outcome!);
    }

    /// <summary>The survey page again, with the code's error and whatever was already chosen.</summary>
    private static RazorComponentResult CodePage(string? token, IFormCollection form, Dictionary<string, string[]> errors, IStringLocalizer<CitizenTexts> l) =>
        Html.Page<SurveyPage>(new { Token = token, Values = Html.Values(form), Errors = PageErrors.From(errors, l) }, StatusCodes.Status400BadRequest);

    private static RazorComponentResult Refused(SubmitOutcome refusal) => Html.Outcome(Refusal(refusal));

    private static Outcome Refusal(SubmitOutcome refusal) => refusal switch
    {
        SubmitOutcome.Expired => Outcomes.SurveyExpired,
        SubmitOutcome.AlreadyUsed => Outcomes.SurveyAnswered,
        _ => Outcomes.SurveyUnknown,
    };
}
