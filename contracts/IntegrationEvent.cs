namespace PublicSafety.Contracts;

/// <summary>
/// What every integration event carries (DESIGN §6): a unique id consumers deduplicate by, when the fact happened,
/// and the version of the event's schema. Event records derive from it and are named in the past tense.
/// </summary>
public abstract record IntegrationEvent
{
    public Guid MessageId { get; init; } = Guid.CreateVersion7();

    public DateTimeOffset OccurredAt { get; init; } = DateTimeOffset.UtcNow;

    public int SchemaVersion { get; init; } = 1;
}
