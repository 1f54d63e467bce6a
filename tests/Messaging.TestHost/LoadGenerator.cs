using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.Messaging.TestHost;

/// <param name="Count">Events to write, one transaction each.</param>
/// <param name="Cameras">Distinct aggregates the events are spread over.</param>
/// <param name="RatePerSecond">Target commit rate; 0 writes as fast as the writers can.</param>
/// <param name="Writers">Concurrent writing connections.</param>
/// <param name="RecordCommits">Keep each event's commit time (for commit-to-effect latency), read back from <see cref="Commits"/>.</param>
public sealed record LoadRequest(int Count, int Cameras = 100, double RatePerSecond = 0, int Writers = 8, bool RecordCommits = false);

public sealed record Commit(Guid MessageId, DateTimeOffset CommittedAt);

public sealed record LoadStatus(bool Running, long Committed, long Failed, double ElapsedSeconds, double CommitsPerSecond);

/// <summary>Writes state + outbox transactions at a steady rate in the background, as a busy service would.</summary>
public sealed class LoadGenerator(NpgsqlDataSource db, IOutbox outbox, ILogger<LoadGenerator> logger)
{
    private readonly Stopwatch _clock = new();
    private ConcurrentQueue<Commit> _commits = new();
    private Task _run = Task.CompletedTask;
    private long _committed;
    private long _failed;

    public LoadStatus Status
    {
        get
        {
            var committed = Interlocked.Read(ref _committed);
            var elapsed = _clock.Elapsed.TotalSeconds;
            return new LoadStatus(!_run.IsCompleted, committed, Interlocked.Read(ref _failed), elapsed, elapsed > 0 ? committed / elapsed : 0);
        }
    }

    /// <summary>Commit times of the last load's events (when it asked for them).</summary>
    public IReadOnlyCollection<Commit> Commits => _commits;

    public LoadStatus Start(LoadRequest request)
    {
        lock (_clock)
        {
            if (!_run.IsCompleted)
            {
                throw new InvalidOperationException("A load is already running.");
            }

            Interlocked.Exchange(ref _committed, 0);
            Interlocked.Exchange(ref _failed, 0);
            _commits = new ConcurrentQueue<Commit>();
            _clock.Restart();
            _run = Task.Run(() => RunAsync(request));
            return Status;
        }
    }

    private async Task RunAsync(LoadRequest request)
    {
        var cameras = Enumerable.Range(0, request.Cameras).Select(_ => Guid.CreateVersion7()).ToArray();
        long next = -1;
        await Task.WhenAll(Enumerable.Range(0, request.Writers).Select(async _ =>
        {
            long index;
            while ((index = Interlocked.Increment(ref next)) < request.Count)
            {
                if (request.RatePerSecond > 0)
                {
                    var due = TimeSpan.FromSeconds(index / request.RatePerSecond) - _clock.Elapsed;
                    if (due > TimeSpan.Zero)
                    {
                        await Task.Delay(due);
                    }
                }

                try
                {
                    await using var connection = await db.OpenConnectionAsync();
                    await using var transaction = await connection.BeginTransactionAsync();
                    var evt = await CameraStatus.MarkOfflineAsync(transaction, outbox, cameras[index % cameras.Length], "KZ-75", CancellationToken.None);
                    await transaction.CommitAsync();
                    if (request.RecordCommits)
                    {
                        _commits.Enqueue(new Commit(evt.MessageId, DateTimeOffset.UtcNow));
                    }

                    Interlocked.Increment(ref _committed);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    Interlocked.Increment(ref _failed);
                    logger.LogWarning(ex, "A load transaction failed");
                }
            }
        }));
        _clock.Stop();
    }
}
