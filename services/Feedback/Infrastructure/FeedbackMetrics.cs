using System.Diagnostics.Metrics;

namespace PublicSafety.Feedback.Infrastructure;

/// <summary>Meter <c>PublicSafety.Feedback</c>: what operators watch about invitations, surveys, complaints and alerts.</summary>
public sealed class FeedbackMetrics
{
    public const string MeterName = "PublicSafety.Feedback";
    private readonly Counter<long> _interactions;
    private readonly Counter<long> _invitations;
    private readonly Counter<long> _suppressed;
    private readonly Counter<long> _responses;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _complaints;
    private readonly Counter<long> _overdue;
    private readonly Counter<long> _alerts;

    public FeedbackMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _interactions = meter.CreateCounter<long>("feedback.interactions.registered", description: "Interactions registered, by source and survey decision.");
        _invitations = meter.CreateCounter<long>("feedback.invitations.issued", description: "Survey invitations issued, by source.");
        _suppressed = meter.CreateCounter<long>("feedback.invitations.suppressed", description: "Invitations not issued because a suppression rule matched, by rule.");
        _responses = meter.CreateCounter<long>("feedback.responses.submitted", description: "Survey responses accepted, verified (invited) or not.");
        _refused = meter.CreateCounter<long>("feedback.responses.refused", description: "Survey submissions refused, by reason (unknown, expired, used).");
        _complaints = meter.CreateCounter<long>("feedback.complaints.received", description: "Complaints received, by source.");
        _overdue = meter.CreateCounter<long>("feedback.complaints.overdue", description: "Complaints found past their review deadline.");
        _alerts = meter.CreateCounter<long>("feedback.quality_alerts.raised", description: "Units whose rolling satisfaction fell below target.");
    }

    public void Registered(string source, string survey) =>
        _interactions.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("survey", survey));

    public void Invited(string source) => _invitations.Add(1, new KeyValuePair<string, object?>("source", source));

    public void Suppressed(string rule) => _suppressed.Add(1, new KeyValuePair<string, object?>("rule", rule));

    public void Responded(bool verified) => _responses.Add(1, new KeyValuePair<string, object?>("verified", verified));

    public void Refused(string reason) => _refused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ComplaintReceived(string source) => _complaints.Add(1, new KeyValuePair<string, object?>("source", source));

    public void Overdue(int count) => _overdue.Add(count);

    public void AlertsRaised(int count) => _alerts.Add(count);
}
