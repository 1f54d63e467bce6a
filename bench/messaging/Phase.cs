using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;
using PublicSafety.Testing;

namespace PublicSafety.Bench.Messaging;

/// <summary>
/// One measured run: the publisher writes <c>count</c> events (one transaction each: state row + outbox row) at a target
/// rate; the run ends when the consumer has applied them all. Latency is commit → effect: the publisher's clock right
/// after COMMIT returned, to the consumer's clock when it inserted the effect (same host, same clock).
/// </summary>
public sealed record PhaseResult(int Events, double CommitSeconds, double CommitRate, double EndToEndSeconds, double EffectRate,
    double P50Ms, double P99Ms, double MaxMs, long Failed);

public static class Phase
{
    public static async Task<PhaseResult> RunAsync(ServiceProcess publisher, string consumerDb, int count, double rate, int cameras, int writers,
        TimeSpan timeout, Action<string> progress)
    {
        using var http = publisher.CreateClient();
        await Execute(consumerDb, "TRUNCATE effects");
        using (var start = await http.PostAsJsonAsync("/test/load", new { count, cameras, ratePerSecond = rate, writers, recordCommits = true }))
        {
            start.EnsureSuccessStatusCode();
        }

        var watch = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(5);
        long applied;
        while ((applied = await Effects(consumerDb)) < count)
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"only {applied} of {count} events were applied within {timeout}");
            }

            if (watch.Elapsed >= nextReport)
            {
                var status = await http.GetFromJsonAsync<Status>("/test/load");
                progress($"  {watch.Elapsed.TotalSeconds,5:0}s  committed {status!.Committed,7}  applied {applied,7}  load {LoadAverage()}");
                nextReport += TimeSpan.FromSeconds(5);
            }

            await Task.Delay(250);
        }

        var load = (await http.GetFromJsonAsync<Status>("/test/load"))!;
        var commits = (await http.GetFromJsonAsync<Commit[]>("/test/load/commits"))!.ToDictionary(c => c.MessageId, c => c.CommittedAt);
        var effects = await AppliedAt(consumerDb);
        var latencies = effects.Where(e => commits.ContainsKey(e.Key))
            .Select(e => Math.Max(0, (e.Value - commits[e.Key]).TotalMilliseconds)).Order().ToArray();
        var firstCommit = commits.Values.Min();
        var lastEffect = effects.Values.Max();
        var endToEnd = (lastEffect - firstCommit).TotalSeconds;
        return new PhaseResult(count, load.ElapsedSeconds, load.CommitsPerSecond, endToEnd, count / endToEnd,
            Percentile.NearestRank(latencies, 0.50), Percentile.NearestRank(latencies, 0.99), latencies[^1], load.Failed);
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static async Task<long> Effects(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM effects", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<Dictionary<Guid, DateTimeOffset>> AppliedAt(string db)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT message_id, applied_at FROM effects", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var applied = new Dictionary<Guid, DateTimeOffset>();
        while (await reader.ReadAsync())
        {
            applied[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return applied;
    }

    private static async Task Execute(string db, string sql)
    {
        await using var connection = new NpgsqlConnection(db);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    private sealed record Status(bool Running, long Committed, long Failed, double ElapsedSeconds, double CommitsPerSecond);

    private sealed record Commit(Guid MessageId, DateTimeOffset CommittedAt);
}
