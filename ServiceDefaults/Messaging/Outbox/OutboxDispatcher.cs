using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.ServiceDefaults.Data;

namespace PublicSafety.ServiceDefaults.Messaging.Outbox;

/// <summary>
/// Publishes committed outbox rows through MassTransit (publisher confirms on) and marks them sent.
/// <para>
/// Order: rows are read in id (insertion) order. Writes to one aggregate serialize on its row lock, as any update does,
/// so for one aggregate that is also commit order. Rows of one aggregate are published one after another, each only
/// after the broker confirmed the previous one, and a failure holds back that aggregate's later rows until the next
/// round; different aggregates are published in parallel. Two dispatchers working the same table would interleave one
/// aggregate's events, so among the replicas of a service exactly one dispatches: the one holding a session advisory
/// lock. The lock lives and dies with its connection, so a crashed or partitioned leader loses it and another replica
/// takes over within <see cref="OutboxOptions.LeaderRetryInterval"/>.
/// </para>
/// <para>
/// Wake-up: a writer in this process signals the dispatcher (before its commit, so the dispatcher then polls every
/// <see cref="OutboxOptions.BusyPollInterval"/> for a moment); otherwise it polls every <see cref="OutboxOptions.PollInterval"/>,
/// which is how rows written by other replicas are found. LISTEN/NOTIFY is not used: PostgreSQL serializes the commits
/// of notifying transactions, which capped the writers at the disk's fsync rate.
/// </para>
/// <para>
/// Delivery is at least once: a crash between the broker's confirm and the row's update publishes the event again after
/// restart, which the consumers' inbox absorbs. Rows committed before a crash are simply found unsent on the next round.
/// While the broker is down, rounds back off up to <see cref="OutboxOptions.MaxBackoff"/>.
/// </para>
/// </summary>
internal sealed class OutboxDispatcher(
    NpgsqlDataSource dataSource,
    IBus bus,
    MessagingOptions messagingOptions,
    MessagingMetrics metrics,
    ServiceDatabase.SchemaState schema,
    OutboxSignal signal,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const long LeaderLockKey = 0x5073_4F75_7462; // "PsOutb"
    public const string AggregateKeyHeader = "PublicSafety-AggregateKey";

    private readonly OutboxOptions _options = messagingOptions.Outbox;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.WhenCurrent.WaitAsync(stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                if (!await TryLeadAsync(connection, stoppingToken))
                {
                    await connection.CloseAsync();
                    await Task.Delay(_options.LeaderRetryInterval, stoppingToken);
                    continue;
                }

                logger.LogInformation("This instance now dispatches the outbox");
                failures = 0;
                try
                {
                    await LeadAsync(connection, stoppingToken);
                }
                finally
                {
                    await ReleaseAsync(connection);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                var delay = Backoff(++failures);
                logger.LogWarning(ex, "Outbox dispatcher stopped dispatching (database unreachable?); retrying in {RetryDelay}", delay);
                await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private static async Task<bool> TryLeadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        cmd.Parameters.AddWithValue("key", LeaderLockKey);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    // The connection goes back to the pool; pooled connections keep session locks until reused, so unlock explicitly.
    private async Task ReleaseAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            cmd.Parameters.AddWithValue("key", LeaderLockKey);
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "The outbox leader's session is gone, and its lock with it");
        }
    }

    private async Task LeadAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        var nextCleanup = DateTimeOffset.UtcNow;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var batch = await FetchAsync(connection, stoppingToken);
            if (batch.Count > 0)
            {
                var (sent, failed) = await PublishAsync(batch, stoppingToken);
                await MarkAsync(connection, sent, failed);
                if (failed.Count > 0)
                {
                    var delay = Backoff(++failures);
                    logger.LogWarning("Publishing {FailedCount} outbox events failed ({FirstError}); retrying in {RetryDelay}",
                        failed.Count, failed[0].Error, delay);
                    await Task.Delay(delay, stoppingToken);
                    continue;
                }

                failures = 0;
                if (batch.Count == _options.BatchSize)
                {
                    continue;
                }
            }

            if (DateTimeOffset.UtcNow >= nextCleanup)
            {
                await CleanupAsync(connection, stoppingToken);
                nextCleanup = DateTimeOffset.UtcNow + _options.CleanupInterval;
            }

            // Busy (rows just seen, or a writer here signalled moments ago and may not have committed yet): look again
            // shortly, letting a batch gather. Idle: sleep until a writer in this process signals, or the poll interval
            // passes (writers in other replicas are only seen by polling).
            var busy = batch.Count > 0 || Environment.TickCount64 - signal.LastRaised < _options.BusyWindow.TotalMilliseconds;
            if (busy)
            {
                await Task.Delay(_options.BusyPollInterval, stoppingToken);
                await signal.WaitAsync(TimeSpan.Zero, stoppingToken);
            }
            else
            {
                await signal.WaitAsync(_options.PollInterval, stoppingToken);
            }
        }
    }

    private async Task<List<OutboxRow>> FetchAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT id, message_id, aggregate_key, message_type, body::text, traceparent, tracestate
            FROM outbox_messages WHERE sent_at IS NULL ORDER BY id LIMIT @limit
            """, connection);
        cmd.Parameters.AddWithValue("limit", _options.BatchSize);
        var rows = new List<OutboxRow>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return rows;
    }

    private async Task<(List<long> Sent, List<(long Id, string Error)> Failed)> PublishAsync(List<OutboxRow> batch, CancellationToken stoppingToken)
    {
        // Publishing is not cut short by shutdown at once: rows confirmed by the broker should be marked before we stop.
        using var batchCancellation = new CancellationTokenSource();
        await using var _ = stoppingToken.Register(() => batchCancellation.CancelAfter(TimeSpan.FromSeconds(3)));
        var sent = new ConcurrentBag<long>();
        var failed = new ConcurrentBag<(long, string)>();
        var aggregates = batch.GroupBy(r => r.AggregateKey, StringComparer.Ordinal);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelAggregates };
        await Parallel.ForEachAsync(aggregates, parallel, async (aggregate, _) =>
        {
            foreach (var row in aggregate)
            {
                try
                {
                    await PublishOneAsync(row, batchCancellation.Token);
                    sent.Add(row.Id);
                }
                catch (Exception ex)
                {
                    // The aggregate's later events wait: publishing them now would overtake this one.
                    failed.Add((row.Id, ex is OperationCanceledException ? "Not confirmed by the broker in time" : ex.GetBaseException().Message));
                    break;
                }
            }
        });
        return ([.. sent], [.. failed]);
    }

    private async Task PublishOneAsync(OutboxRow row, CancellationToken batchToken)
    {
        var type = OutboxMessageTypes.Resolve(row.MessageType);
        var message = JsonSerializer.Deserialize(row.Body, type, OutboxMessageTypes.Json)
            ?? throw new InvalidOperationException($"Outbox row {row.Id} has an empty body.");

        // Continue the trace of the request that wrote the event; MassTransit's send span becomes our child.
        ActivityContext.TryParse(row.TraceParent, row.TraceState, isRemote: true, out var parent);
        using var activity = MessagingMetrics.ActivitySource.StartActivity($"outbox publish {type.Name}", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", row.MessageId.ToString());
        activity?.SetTag("messaging.message.type", type.Name);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(batchToken);
        timeout.CancelAfter(_options.PublishTimeout);
        // The deadline travels down to RabbitMQ.Client's BasicPublishAsync, and that is what ends rabbitmq-dotnet-client
        // #1930 in 7.2.2: after a broker restart its socket write loop dies but leaves its frame queue open, a publish
        // blocked writing to it holds the channel's confirm lock, and the channel's shutdown (which fails the outstanding
        // confirms and tells MassTransit the connection is gone) waits for that lock. Both waits honour the token, so the
        // deadline frees the lock. WaitAsync besides: a publish that ignored its token would otherwise hold the whole round;
        // the row stays unsent and goes again, and a late confirm of the abandoned attempt only makes a duplicate.
        var publish = bus.Publish(message, type, Pipe.Execute<PublishContext>(context =>
        {
            context.MessageId = row.MessageId;
            context.Headers.Set(AggregateKeyHeader, row.AggregateKey);
        }), timeout.Token);
        try
        {
            await publish.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!publish.IsCompleted)
        {
            _ = ReportIfDeafAsync(publish, row.Id);
            throw;
        }

        metrics.Published(type.Name);
    }

    /// <summary>Says so when a publish is still running long after its cancellation (none seen with RabbitMQ.Client 7.2.2).</summary>
    private async Task ReportIfDeafAsync(Task publish, long rowId)
    {
        if (await Task.WhenAny(publish, Task.Delay(_options.PublishTimeout)) != publish)
        {
            logger.LogWarning("A publish of outbox row {OutboxRowId} was still running {Grace} after its cancellation; the row is sent again",
                rowId, _options.PublishTimeout);
        }
    }

    private static async Task MarkAsync(NpgsqlConnection connection, List<long> sent, List<(long Id, string Error)> failed)
    {
        // Not cancellable: these rows are confirmed by the broker, and marking them saves a duplicate after restart.
        await using var batch = new NpgsqlBatch(connection);
        if (sent.Count > 0)
        {
            var cmd = new NpgsqlBatchCommand("UPDATE outbox_messages SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY(@ids)");
            cmd.Parameters.AddWithValue("ids", sent.ToArray());
            batch.BatchCommands.Add(cmd);
        }

        if (failed.Count > 0)
        {
            var cmd = new NpgsqlBatchCommand("""
                UPDATE outbox_messages o SET attempts = o.attempts + 1, last_error = f.error
                FROM unnest(@ids, @errors) AS f(id, error) WHERE o.id = f.id
                """);
            cmd.Parameters.AddWithValue("ids", failed.Select(f => f.Id).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter("errors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = failed.Select(f => Truncate(f.Error)).ToArray() });
            batch.BatchCommands.Add(cmd);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private async Task CleanupAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        // Bounded deletes, so a long-neglected table does not become one huge transaction.
        await using var cmd = new NpgsqlCommand("""
            DELETE FROM outbox_messages WHERE id IN (
                SELECT id FROM outbox_messages WHERE sent_at < now() - @outbox LIMIT 10000);
            DELETE FROM inbox_messages WHERE (message_id, consumer) IN (
                SELECT message_id, consumer FROM inbox_messages WHERE processed_at < now() - @inbox LIMIT 10000);
            """, connection);
        cmd.Parameters.AddWithValue("outbox", _options.Retention);
        cmd.Parameters.AddWithValue("inbox", messagingOptions.InboxRetention);
        var deleted = await cmd.ExecuteNonQueryAsync(ct);
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {DeletedRows} outbox/inbox rows past their retention", deleted);
        }
    }

    private TimeSpan Backoff(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(_options.MaxBackoff.TotalMilliseconds, 200 * Math.Pow(2, Math.Min(failures - 1, 16))));

    private static string Truncate(string error) => error.Length <= 2000 ? error : error[..2000];

    private sealed record OutboxRow(long Id, Guid MessageId, string AggregateKey, string MessageType, string Body, string? TraceParent, string? TraceState);
}
