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
        pages.MapGet("/survey", () => Html.Page<SurveyCodePage>()).WithName("SurveyCodePage");
        pages.MapPost("/survey/open", Open).WithName("OpenSurveyPage");
        pages.MapPost("/survey/answer", Answer).WithName("AnswerSurveyPage");
    }

    private static async Task<RazorComponentResult> Open(IFormCollection form, SurveyStore surveys, IStringLocalizer<CitizenTexts> l, CancellationToken ct)
    {
        var token = Html.Text(form, "token");
        var (errors, survey, refusal) = await CitizenOperations.DescribeSurveyAsync(token, surveys, ct);
        if (errors.Count > 0)
        {
            return CodePage(token, errors, l);
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
            return CodePage(token, errors, l);
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

    private static RazorComponentResult CodePage(string? token, Dictionary<string, string[]> errors, IStringLocalizer<CitizenTexts> l) =>
        Html.Page<SurveyCodePage>(new { Token = token, Errors = PageErrors.From(errors, l) }, StatusCodes.Status400BadRequest);

    private static RazorComponentResult Refused(SubmitOutcome refusal) => Html.Outcome(refusal switch
    {
        SubmitOutcome.Expired => Outcomes.SurveyExpired,
        SubmitOutcome.AlreadyUsed => Outcomes.SurveyAnswered,
        _ => Outcomes.SurveyUnknown,
    });
}
