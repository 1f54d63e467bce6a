using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using PublicSafety.Feedback.Apis;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Pages.Views;

namespace PublicSafety.Feedback.Pages;

/// <summary>Feedback without an invitation: counted as unverified, never mixed with invited answers.</summary>
internal static class FeedbackPages
{
    public static void MapFeedbackPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/feedback", () => Html.Page<FeedbackPage>()).WithName("FeedbackPage");
        pages.MapPost("/feedback", Give).WithName("GiveFeedbackPage");
    }

    private static async Task<RazorComponentResult> Give(IFormCollection form, SurveyStore surveys, IStringLocalizer<CitizenTexts> l, CancellationToken ct)
    {
        var feedback = new UnsolicitedFeedback(Html.Text(form, "region"), Html.Text(form, "unit"), Html.Text(form, "interactionKind"),
            Html.Text(form, "channel"), Html.Score(form, "overall"), Html.Score(form, "legality"), Html.Score(form, "thoroughness"),
            Html.Score(form, "timeliness"), Html.Score(form, "respect"), Html.Score(form, "informedness"), Html.Text(form, "comment"));
        var (errors, _) = await CitizenOperations.GiveFeedbackAsync(feedback, surveys, ct);
        return errors.Count > 0
            ? Html.Page<FeedbackPage>(new { Values = Html.Values(form), Errors = PageErrors.From(errors, l) }, StatusCodes.Status400BadRequest)
            : Html.Outcome(Outcomes.FeedbackThanks);
    }
}
