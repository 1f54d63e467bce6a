using MassTransit;
using Npgsql;
using PublicSafety.Contracts.CrisisCapacity;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Messaging.Inbox;

namespace PublicSafety.Feedback.IntegrationEvents;

/// <summary>
/// A crisis-centre stay ended: the person may be asked about the help received, by case code only, and only if they
/// consented and named a safe channel at discharge. Crisis centres shelter victims of domestic violence, so their
/// placements carry that offence category and the default suppression rule holds them back (counted) unless configured
/// otherwise; detox-centre (ЦВАД) stays do not.
/// </summary>
public sealed partial class PlacementEndedConsumer(Inbox inbox, InteractionStore store, ILogger<PlacementEndedConsumer> logger)
    : IdempotentConsumer<PlacementEnded>(inbox)
{
    public const string Source = "crisis-capacity";

    protected override async Task HandleAsync(ConsumeContext<PlacementEnded> context, NpgsqlTransaction transaction)
    {
        var e = context.Message;
        if (!Regions.IsValid(e.Region) || string.IsNullOrWhiteSpace(e.CaseCode) || e.CaseCode.Length > 40 || !PlainText.IsClean(e.CaseCode))
        {
            LogMalformed(e.MessageId);
            return;
        }

        var consent = e.SurveyConsent && SafeChannels.IsValid(e.SafeChannel);
        var data = new InteractionData(
            Source, e.CaseCode, InteractionKinds.CrisisPlacement,
            e.Category == "detox" ? "none" : OffenceCategories.DomesticViolence,
            e.Region.ToUpperInvariant(), $"crisis-centre:{e.CentreId}", "partner_service", e.EndedAt.ToUniversalTime(), consent, consent ? e.SafeChannel : null);
        await store.RegisterAsync(transaction, data, context.CancellationToken);
    }

    [LoggerMessage(LogLevel.Warning, "PlacementEnded {MessageId} has no valid region or case code; no interaction recorded")]
    private partial void LogMalformed(Guid messageId);
}
