using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Contracts;

namespace PublicSafety.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// Records integration events in the caller's transaction, next to the state change they describe: both commit or
/// neither does. The <see cref="OutboxDispatcher"/> publishes them after the commit, in order per aggregate.
/// </summary>
public interface IOutbox
{
    /// <param name="transaction">The open transaction of the domain operation.</param>
    /// <param name="event">The event; its <see cref="IntegrationEvent.MessageId"/> becomes the message id consumers deduplicate by.</param>
    /// <param name="aggregateKey">What the event is about (e.g. the camera's id): events with the same key are published in the order they were added.</param>
    Task AddAsync(NpgsqlTransaction transaction, IntegrationEvent @event, string aggregateKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends the event's insert to <paramref name="batch"/> (of the domain operation's transaction), so the state change
    /// and its event travel in one round trip; the event is recorded when the batch executes.
    /// </summary>
    void Add(NpgsqlBatch batch, IntegrationEvent @event, string aggregateKey);

    /// <summary>Several events in one statement.</summary>
    Task AddAsync(NpgsqlTransaction transaction, IReadOnlyCollection<(IntegrationEvent Event, string AggregateKey)> events, CancellationToken cancellationToken = default);
}

internal sealed class PostgresOutbox(OutboxSignal signal) : IOutbox
{
    private const string InsertOne = """
        INSERT INTO outbox_messages (message_id, aggregate_key, message_type, body, traceparent, tracestate, occurred_at)
        VALUES (@m, @k, @t, @b::jsonb, @tp, @ts, @o)
        """;

    // One statement for any number of events: one round trip.
    private const string InsertMany = """
        INSERT INTO outbox_messages (message_id, aggregate_key, message_type, body, traceparent, tracestate, occurred_at)
        SELECT m, k, t, b::jsonb, tp, ts, o FROM unnest(@m, @k, @t, @b, @tp, @ts, @o) AS e(m, k, t, b, tp, ts, o)
        """;

    public async Task AddAsync(NpgsqlTransaction transaction, IntegrationEvent @event, string aggregateKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction.Connection, nameof(transaction));
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        Add(batch, @event, aggregateKey);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public void Add(NpgsqlBatch batch, IntegrationEvent @event, string aggregateKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(aggregateKey);
        var (traceparent, tracestate) = CurrentTrace();
        var type = @event.GetType();
        var insert = new NpgsqlBatchCommand(InsertOne);
        insert.Parameters.AddWithValue("m", @event.MessageId);
        insert.Parameters.AddWithValue("k", aggregateKey);
        insert.Parameters.AddWithValue("t", OutboxMessageTypes.NameOf(type));
        insert.Parameters.AddWithValue("b", JsonSerializer.Serialize(@event, type, OutboxMessageTypes.Json));
        insert.Parameters.Add(new NpgsqlParameter<string?>("tp", traceparent) { NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter<string?>("ts", tracestate) { NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.AddWithValue("o", @event.OccurredAt.ToUniversalTime());
        batch.BatchCommands.Add(insert);
        // Raised before the commit: the dispatcher polls briefly after a signal (OutboxSignal).
        signal.Raise();
    }

    public async Task AddAsync(NpgsqlTransaction transaction, IReadOnlyCollection<(IntegrationEvent Event, string AggregateKey)> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction.Connection, nameof(transaction));
        if (events.Count == 0)
        {
            return;
        }

        var (traceparent, tracestate) = CurrentTrace();

        var count = events.Count;
        var ids = new Guid[count];
        var keys = new string[count];
        var types = new string[count];
        var bodies = new string[count];
        var occurred = new DateTimeOffset[count];
        var i = 0;
        foreach (var (e, key) in events)
        {
            ArgumentException.ThrowIfNullOrEmpty(key, nameof(events));
            var type = e.GetType();
            ids[i] = e.MessageId;
            keys[i] = key;
            types[i] = OutboxMessageTypes.NameOf(type);
            bodies[i] = JsonSerializer.Serialize(e, type, OutboxMessageTypes.Json);
            occurred[i] = e.OccurredAt.ToUniversalTime();
            i++;
        }

        await using var cmd = new NpgsqlCommand(InsertMany, transaction.Connection, transaction);
        cmd.Parameters.AddWithValue("m", ids);
        cmd.Parameters.AddWithValue("k", keys);
        cmd.Parameters.AddWithValue("t", types);
        cmd.Parameters.AddWithValue("b", bodies);
        cmd.Parameters.AddWithValue("tp", Enumerable.Repeat(traceparent, count).ToArray());
        cmd.Parameters.AddWithValue("ts", Enumerable.Repeat(tracestate, count).ToArray());
        cmd.Parameters.AddWithValue("o", occurred);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        signal.Raise();
    }

    /// <summary>The trace of the operation that produces the events: the dispatcher's publish continues it.</summary>
    private static (string? TraceParent, string? TraceState) CurrentTrace()
    {
        var activity = Activity.Current;
        return activity is { IdFormat: ActivityIdFormat.W3C } ? (activity.Id, activity.TraceStateString) : (null, null);
    }
}
