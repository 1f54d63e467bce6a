using System.Diagnostics;
using System.Text.Json;
using Npgsql;
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

    /// <summary>Several events in one statement.</summary>
    Task AddAsync(NpgsqlTransaction transaction, IReadOnlyCollection<(IntegrationEvent Event, string AggregateKey)> events, CancellationToken cancellationToken = default);
}

internal sealed class PostgresOutbox(OutboxSignal signal) : IOutbox
{
    // One statement for any number of events: one round trip.
    private const string Insert = """
        INSERT INTO outbox_messages (message_id, aggregate_key, message_type, body, traceparent, tracestate, occurred_at)
        SELECT m, k, t, b::jsonb, tp, ts, o FROM unnest(@m, @k, @t, @b, @tp, @ts, @o) AS e(m, k, t, b, tp, ts, o)
        """;

    public Task AddAsync(NpgsqlTransaction transaction, IntegrationEvent @event, string aggregateKey, CancellationToken cancellationToken = default) =>
        AddAsync(transaction, [(@event, aggregateKey)], cancellationToken);

    public async Task AddAsync(NpgsqlTransaction transaction, IReadOnlyCollection<(IntegrationEvent Event, string AggregateKey)> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction.Connection, nameof(transaction));
        if (events.Count == 0)
        {
            return;
        }

        // The trace of the operation that produced the events: the dispatcher's publish continues it.
        var activity = Activity.Current;
        var traceparent = activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;
        var tracestate = traceparent is null ? null : activity!.TraceStateString;

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

        await using var cmd = new NpgsqlCommand(Insert, transaction.Connection, transaction);
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
}
