namespace PublicSafety.Feedback.Model;

public sealed record ComplaintData(
    string Region, string Unit, string Category, string MaskedDescription, DateTimeOffset? IncidentAt, string Source, string Actor,
    string? ClientId = null, string? IdempotencyKey = null);

public sealed record ComplaintStep(string Status, string Actor, string? Reason, DateTimeOffset At);

public sealed record Complaint(
    Guid Id, string ReferenceCode, string Region, string Unit, string Category, string Description, DateTimeOffset? IncidentAt, string Source,
    string Status, string? Outcome, string? Assignee, DateTimeOffset ReceivedAt, DateTimeOffset DueAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt, DateTimeOffset? OverdueAt, IReadOnlyList<ComplaintStep> Steps)
{
    public bool IsOpen => ComplaintStatuses.Open.Contains(Status);
}

/// <summary>A handler's step: assign (with an assignee), start_review, resolve (with an outcome) or forward (to the prosecutor's office).</summary>
public sealed record ComplaintAction(string Action, string Actor, string Reason, string? Assignee, string? Outcome);

public static class ComplaintActions
{
    public static readonly IReadOnlyList<string> All = ["assign", "start_review", "resolve", "forward"];

    /// <summary>The status the action leads to from <paramref name="status"/>, or null when it isn't allowed there.</summary>
    public static string? Next(string status, string action) => (status, action) switch
    {
        (ComplaintStatuses.Received or ComplaintStatuses.Assigned or ComplaintStatuses.UnderReview, "assign") => ComplaintStatuses.Assigned,
        (ComplaintStatuses.Assigned, "start_review") => ComplaintStatuses.UnderReview,
        (ComplaintStatuses.UnderReview, "resolve") => ComplaintStatuses.Resolved,
        (ComplaintStatuses.Received or ComplaintStatuses.Assigned or ComplaintStatuses.UnderReview, "forward") => ComplaintStatuses.Forwarded,
        _ => null,
    };
}

public abstract record ComplaintOutcome
{
    public sealed record Done(Complaint Complaint) : ComplaintOutcome;

    public sealed record Repeated(Complaint Complaint) : ComplaintOutcome;

    public sealed record NotFound : ComplaintOutcome;

    public sealed record NotAllowed(string Status) : ComplaintOutcome;

    /// <summary>A citizen's Idempotency-Key already used for a different complaint.</summary>
    public sealed record KeyReused : ComplaintOutcome;
}
