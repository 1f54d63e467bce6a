namespace PublicSafety.Feedback.Model;

/// <summary>A citizen's answers: the overall score and the five criteria (each 1..5, a criterion may be skipped), comment masked.</summary>
public sealed record SurveyAnswers(
    short Overall, short? Legality, short? Thoroughness, short? Timeliness, short? Respect, short? Informedness, string? MaskedComment);

/// <summary>Where an unsolicited response is about, as far as the citizen says.</summary>
public sealed record UnsolicitedContext(string Region, string? Unit, string? Kind, string? Channel);

/// <summary>What a survey asks about, shown to the citizen before answering: no unit officer names, no case data.</summary>
public sealed record SurveyDescription(string Kind, string Channel, string Region, DateOnly OccurredOn, DateTimeOffset ExpiresAt);

public abstract record SubmitOutcome
{
    public sealed record Accepted(Guid ResponseId) : SubmitOutcome;

    public sealed record Unknown : SubmitOutcome;

    public sealed record Expired : SubmitOutcome;

    public sealed record AlreadyUsed : SubmitOutcome;
}
