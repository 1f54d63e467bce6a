using MassTransit;
using Npgsql;
using PublicSafety.Contracts.Probation;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Messaging.Inbox;

namespace PublicSafety.Feedback.IntegrationEvents;

/// <summary>A supervised person reported to probation: an interaction, with an invitation only when they consented.</summary>
public sealed partial class ProbationCheckInRecordedConsumer(Inbox inbox, InteractionStore store, ILogger<ProbationCheckInRecordedConsumer> logger)
    : IdempotentConsumer<ProbationCheckInRecorded>(inbox)
{
    public const string Source = "probation";

    protected override async Task HandleAsync(ConsumeContext<ProbationCheckInRecorded> context, NpgsqlTransaction transaction)
    {
        var e = context.Message;
        if (!Regions.IsValid(e.Region) || string.IsNullOrWhiteSpace(e.Unit) || e.Unit.Length > 200 || !PlainText.IsClean(e.Unit))
        {
            LogMalformed(e.MessageId);
            return;
        }

        var data = new InteractionData(
            Source, e.CheckInId.ToString(), InteractionKinds.ProbationCheckIn, null, e.Region.ToUpperInvariant(), e.Unit.Trim(), "in_person",
            e.CheckedInAt.ToUniversalTime(), e.SurveyConsent, null);
        await store.RegisterAsync(transaction, data, context.CancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "ProbationCheckInRecorded {MessageId} has no valid region or unit; no interaction recorded")]
    private partial void LogMalformed(Guid messageId);
}
