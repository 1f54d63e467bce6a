using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;

namespace PublicSafety.Feedback.Apis;

/// <summary>
/// What a citizen can do, written once: the JSON routes (<see cref="PublicSurveyApi"/>, <see cref="PublicComplaintsApi"/>)
/// and the citizens' pages (Pages/) both call these, so validation, masking and storage are the same whichever way an
/// answer arrives. Errors are keyed by field, as in a validation problem; each caller words them for its audience.
/// </summary>
internal static class CitizenOperations
{
    public const string TokenShape = "token must be the 43-character code from the invitation.";

    public static async Task<(Dictionary<string, string[]> Errors, SurveyDescription? Survey, SubmitOutcome? Refusal)> DescribeSurveyAsync(
        string? token, SurveyStore surveys, CancellationToken ct)
    {
        if (!SurveyToken.IsWellFormed(token))
        {
            return (new() { ["token"] = [TokenShape] }, null, null);
        }

        var (survey, refusal) = await surveys.DescribeAsync(token!, ct);
        return ([], survey, refusal);
    }

    public static async Task<(Dictionary<string, string[]> Errors, SubmitOutcome? Outcome)> AnswerSurveyAsync(
        SurveySubmission? request, SurveyStore surveys, CancellationToken ct)
    {
        if (request is null)
        {
            return (new() { ["body"] = ["A survey response is required."] }, null);
        }

        var (answers, errors) = Validation.Answers(request.Overall, request.Legality, request.Thoroughness, request.Timeliness, request.Respect,
            request.Informedness, request.Comment);
        if (!SurveyToken.IsWellFormed(request.Token))
        {
            errors["token"] = [TokenShape];
        }

        return errors.Count > 0 ? (errors, null) : (errors, await surveys.SubmitAsync(request.Token!, answers!, ct));
    }

    public static async Task<(Dictionary<string, string[]> Errors, Guid? ResponseId)> GiveFeedbackAsync(
        UnsolicitedFeedback? request, SurveyStore surveys, CancellationToken ct)
    {
        if (request is null)
        {
            return (new() { ["body"] = ["Feedback is required."] }, null);
        }

        var (answers, errors) = Validation.Answers(request.Overall, request.Legality, request.Thoroughness, request.Timeliness, request.Respect,
            request.Informedness, request.Comment);
        foreach (var (key, value) in Validation.Unsolicited(request))
        {
            errors[key] = value;
        }

        if (errors.Count > 0)
        {
            return (errors, null);
        }

        var context = new UnsolicitedContext(request.Region!.ToUpperInvariant(), request.Unit?.Trim(), request.InteractionKind, request.Channel);
        return (errors, await surveys.SubmitUnsolicitedAsync(context, answers!, ct));
    }

    /// <summary>A citizen's complaint; the description is masked before it is stored. The key, when given, makes a repeat return the first receipt.</summary>
    public static async Task<(Dictionary<string, string[]> Errors, ComplaintOutcome? Outcome)> FileComplaintAsync(
        ComplaintRequest? request, string? idempotencyKey, ComplaintStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validation.Complaint(request, clock.GetUtcNow());
        if (idempotencyKey is not null)
        {
            Validation.PublicIdempotencyKey(errors, idempotencyKey);
        }

        if (errors.Count > 0)
        {
            return (errors, null);
        }

        var r = request!;
        var data = new ComplaintData(r.Region!.ToUpperInvariant(), r.Unit!.Trim(), r.Category!, CommentText.Masked(r.Description)!, r.IncidentAt?.ToUniversalTime(),
            "public", "citizen", IdempotencyKey: idempotencyKey);
        return (errors, await store.CreateAsync(data, ct));
    }

    /// <summary>What the complainant may see by reference code (no handler names or internal reasons), or null.</summary>
    public static async Task<PublicComplaintStatus?> ComplaintStatusAsync(string? referenceCode, ComplaintStore store, CancellationToken ct)
    {
        var code = referenceCode?.Trim().ToUpperInvariant();
        return ReferenceCode.IsWellFormed(code) && await store.GetByReferenceAsync(code!, ct) is { } c ? PublicComplaintStatus.From(c) : null;
    }
}
