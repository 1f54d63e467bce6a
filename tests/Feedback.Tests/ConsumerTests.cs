using System.Text.Json.Nodes;
using PublicSafety.Contracts.CrisisCapacity;
using PublicSafety.Contracts.Probation;
using PublicSafety.Testing;

namespace PublicSafety.Feedback.Tests;

[Collection(FeedbackCollection.Name)]
public sealed class ConsumerTests(FeedbackService feedback)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task APlacementEndedDeliveredTwiceIsAppliedOnce()
    {
        var ended = new PlacementEnded(Guid.NewGuid(), Guid.NewGuid(), "KZ-47", NewCaseCode(), DateTimeOffset.UtcNow.AddMinutes(-1), "detox", true, "messenger");
        await feedback.PublishAsync(ended);
        await feedback.PublishAsync(ended);

        Assert.True(await Eventually.HoldsAsync(async () => await InboxAsync(ended.MessageId) == 1, Timeout), "the event was not consumed");
        // Give the duplicate time to arrive and be recognised.
        Assert.True(await Eventually.HoldsAsync(async () => await feedback.ScalarAsync(
            "SELECT count(*) FROM interactions WHERE source_system = 'crisis-capacity' AND source_reference = @c", ("c", ended.CaseCode)) == 1, Timeout));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await feedback.ScalarAsync("SELECT count(*) FROM interactions WHERE source_reference = @c", ("c", ended.CaseCode)));
        var invitations = await InvitationsForAsync(ended.CaseCode);
        var invitation = Assert.Single(invitations);
        Assert.Equal("crisis-capacity", invitation["sourceSystem"]!.GetValue<string>());
        Assert.Equal("messenger", invitation["safeChannel"]!.GetValue<string>());
        Assert.Equal("crisis_placement", invitation["interactionKind"]!.GetValue<string>());
    }

    [Fact]
    public async Task APlacementEndedWithoutConsentOrSafeChannelInvitesNobody()
    {
        var noConsent = new PlacementEnded(Guid.NewGuid(), Guid.NewGuid(), "KZ-47", NewCaseCode(), DateTimeOffset.UtcNow, "detox");
        var noChannel = new PlacementEnded(Guid.NewGuid(), Guid.NewGuid(), "KZ-47", NewCaseCode(), DateTimeOffset.UtcNow, "detox", true, null);
        await feedback.PublishAsync(noConsent);
        await feedback.PublishAsync(noChannel);
        Assert.True(await Eventually.HoldsAsync(async () => await InboxAsync(noConsent.MessageId) + await InboxAsync(noChannel.MessageId) == 2, Timeout));
        Assert.Equal(2, await feedback.ScalarAsync("SELECT count(*) FROM interactions WHERE source_reference IN (@a, @b) AND survey = 'no_consent'",
            ("a", noConsent.CaseCode), ("b", noChannel.CaseCode)));
        Assert.Empty(await InvitationsForAsync(noConsent.CaseCode));
        Assert.Empty(await InvitationsForAsync(noChannel.CaseCode));
    }

    [Fact]
    public async Task ACrisisCentrePlacementIsADomesticViolenceCaseAndItsInvitationIsSuppressedAndCounted()
    {
        var ended = new PlacementEnded(Guid.NewGuid(), Guid.NewGuid(), "KZ-63", NewCaseCode(), DateTimeOffset.UtcNow, "women_with_children", true, "sms");
        await feedback.PublishAsync(ended);
        Assert.True(await Eventually.HoldsAsync(async () => await InboxAsync(ended.MessageId) == 1, Timeout));
        Assert.Equal(1, await feedback.ScalarAsync(
            "SELECT count(*) FROM interactions WHERE source_reference = @c AND survey = 'suppressed' AND suppressed_by = 'domestic-violence'", ("c", ended.CaseCode)));
        Assert.Empty(await InvitationsForAsync(ended.CaseCode));
    }

    [Fact]
    public async Task AProbationCheckInInvitesOnlyWithConsent()
    {
        var consented = new ProbationCheckInRecorded(Guid.NewGuid(), "KZ-71", "Astana probation service 2", "PR-2026-" + Guid.NewGuid().ToString("N")[..6], DateTimeOffset.UtcNow, true);
        var declined = consented with { CheckInId = Guid.NewGuid(), SurveyConsent = false, MessageId = Guid.CreateVersion7() };
        await feedback.PublishAsync(consented);
        await feedback.PublishAsync(declined);
        Assert.True(await Eventually.HoldsAsync(async () => await InboxAsync(consented.MessageId) + await InboxAsync(declined.MessageId) == 2, Timeout));
        Assert.Single(await InvitationsForAsync(consented.CheckInId.ToString()));
        Assert.Empty(await InvitationsForAsync(declined.CheckInId.ToString()));
    }

    [Fact]
    public async Task AnEventWithAControlCharacterInItsReferenceIsRecordedAndDroppedNotRetriedForever()
    {
        var placement = new PlacementEnded(Guid.NewGuid(), Guid.NewGuid(), "KZ-47", NewCaseCode() + "\u0000", DateTimeOffset.UtcNow, "detox", true, "sms");
        var checkIn = new ProbationCheckInRecorded(Guid.NewGuid(), "KZ-71", "Astana probation\u0000", "PR-2026-X", DateTimeOffset.UtcNow, true);
        await feedback.PublishAsync(placement);
        await feedback.PublishAsync(checkIn);

        Assert.True(await Eventually.HoldsAsync(async () => await InboxAsync(placement.MessageId) + await InboxAsync(checkIn.MessageId) == 2, Timeout),
            "the malformed events were not consumed");
        Assert.Equal(0, await feedback.ScalarAsync("SELECT count(*) FROM interactions WHERE source_reference = @c", ("c", checkIn.CheckInId.ToString())));
    }

    [Fact]
    public async Task AnEventTimedInKazakhstanIsStoredInUtc()
    {
        var endedAt = new DateTimeOffset(2026, 3, 1, 15, 0, 0, TimeSpan.FromHours(5));
        var ended = new PlacementEnded(Guid.NewGuid(), Guid.NewGuid(), "KZ-47", NewCaseCode(), endedAt, "detox", true, "sms");
        await feedback.PublishAsync(ended);

        Assert.True(await Eventually.HoldsAsync(async () => await InboxAsync(ended.MessageId) == 1, Timeout), "the event was not consumed");
        Assert.Equal(1, await feedback.ScalarAsync("SELECT count(*) FROM interactions WHERE source_reference = @c AND occurred_at = @at",
            ("c", ended.CaseCode), ("at", endedAt.UtcDateTime)));
    }

    private async Task<long> InboxAsync(Guid messageId) =>
        await feedback.ScalarAsync("SELECT count(*) FROM inbox_messages WHERE message_id = @id", ("id", messageId));

    private async Task<IReadOnlyList<JsonObject>> InvitationsForAsync(string sourceReference) =>
        (await feedback.OutboxAsync("SurveyInvitationIssued")).Where(e => e["sourceReference"]!.GetValue<string>() == sourceReference).ToArray();

    private static string NewCaseCode() => $"CC-2026-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
}
