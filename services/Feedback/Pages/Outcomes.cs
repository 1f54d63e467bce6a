namespace PublicSafety.Feedback.Pages;

/// <summary>A page that only says what happened: texts by resource key, the HTTP status that matches, where to go next.</summary>
public sealed record Outcome(string TitleKey, string TextKey, int Status, string? LinkHref = null, string? LinkKey = null);

internal static class Outcomes
{
    public static readonly Outcome SurveyThanks = new("ThanksTitle", "ThanksSurvey", StatusCodes.Status200OK, CitizenPages.Prefix, "BackHome");

    public static readonly Outcome SurveyExpired = new("ExpiredTitle", "ExpiredText", StatusCodes.Status410Gone, $"{CitizenPages.Prefix}/feedback", "NavFeedback");

    public static readonly Outcome SurveyAnswered = new("UsedTitle", "UsedText", StatusCodes.Status409Conflict, CitizenPages.Prefix, "BackHome");

    public static readonly Outcome SurveyUnknown = new("UnknownTitle", "UnknownText", StatusCodes.Status404NotFound, $"{CitizenPages.Prefix}/survey", "TryCodeAgain");

    public static readonly Outcome FeedbackThanks = new("ThanksTitle", "ThanksFeedback", StatusCodes.Status200OK, CitizenPages.Prefix, "BackHome");

    public static readonly Outcome ComplaintFormReused =
        new("FormReusedTitle", "FormReusedText", StatusCodes.Status409Conflict, $"{CitizenPages.Prefix}/complaint", "NavComplaint");

    public static readonly Outcome FormExpired = new("FormExpiredTitle", "FormExpiredText", StatusCodes.Status400BadRequest, CitizenPages.Prefix, "BackHome");

    public static readonly Outcome PageNotFound = new("NotFoundTitle", "NotFoundText", StatusCodes.Status404NotFound, CitizenPages.Prefix, "BackHome");
}
