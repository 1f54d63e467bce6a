using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.Feedback.Extensions;
using PublicSafety.Feedback.Model;

namespace PublicSafety.Feedback.Infrastructure;

/// <summary>
/// Entertainment venues, the 102 signals linked to them and their half-yearly safety rating (action plan 5.2: "by the
/// signals of offences received through 102"). A venue's score is the weighted count of its signals in the half-year
/// (weights by offence type, from configuration); the grade follows configured thresholds; rank 1 is the safest venue
/// of its region. A published half-year is frozen: later signals do not change it.
/// </summary>
public sealed class VenueStore(NpgsqlDataSource dataSource, TimeProvider clock, IOptionsMonitor<FeedbackOptions> options)
{
    /// <summary>Registers a venue; the same client's same idempotency key returns the first one (Created = false).</summary>
    public async Task<(Venue Venue, bool Created)> CreateAsync(VenueData d, string clientId, string idempotencyKey, CancellationToken ct)
    {
        var venue = new Venue(Guid.CreateVersion7(), d, true, clock.GetUtcNow(), false);
        await using (var insert = dataSource.CreateCommand("""
            INSERT INTO venues (id, name, kind, region, settlement, address, latitude, longitude, created_at, client_id, idempotency_key)
            VALUES (@id, @name, @kind, @region, @settlement, @address, @lat, @lon, @at, @client, @key)
            ON CONFLICT (client_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            """))
        {
            insert.Parameters.AddWithValue("id", venue.Id);
            insert.Parameters.AddWithValue("name", d.Name);
            insert.Parameters.AddWithValue("kind", d.Kind);
            insert.Parameters.AddWithValue("region", d.Region);
            insert.Parameters.AddWithValue("settlement", d.Settlement);
            insert.Parameters.AddWithValue("address", d.Address);
            insert.Parameters.Add(new NpgsqlParameter<double?>("lat", d.Latitude) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
            insert.Parameters.Add(new NpgsqlParameter<double?>("lon", d.Longitude) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
            insert.Parameters.AddWithValue("at", venue.CreatedAt);
            insert.Parameters.AddWithValue("client", clientId);
            insert.Parameters.AddWithValue("key", idempotencyKey);
            if (await insert.ExecuteNonQueryAsync(ct) == 1)
            {
                return (venue, true);
            }
        }

        // The first venue with this key may have been committed by a concurrent request while the insert waited for it: the
        // insert's own snapshot cannot see that row, a new statement can.
        await using var select = dataSource.CreateCommand("SELECT id FROM venues WHERE client_id = @client AND idempotency_key = @key");
        select.Parameters.AddWithValue("client", clientId);
        select.Parameters.AddWithValue("key", idempotencyKey);
        var id = (Guid)(await select.ExecuteScalarAsync(ct))!;
        return ((await GetAsync(id, ct))!, false);
    }

    public async Task<Venue?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, name, kind, region, settlement, address, latitude, longitude, active, created_at, synthetic FROM venues WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }

        return new Venue(r.GetGuid(0), new VenueData(r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
            r.IsDBNull(6) ? null : r.GetDouble(6), r.IsDBNull(7) ? null : r.GetDouble(7)), r.GetBoolean(8), r.GetFieldValue<DateTimeOffset>(9), r.GetBoolean(10));
    }

    /// <summary>Links a 102 call to a venue; the same call card from the same source is recorded once.</summary>
    public async Task<(VenueSignal Signal, bool Created)> RecordSignalAsync(
        Guid venueId, string source, string callReference, string type, DateTimeOffset receivedAt, CancellationToken ct)
    {
        await using (var insert = dataSource.CreateCommand("""
            INSERT INTO venue_signals (id, venue_id, source_system, call_reference, signal_type, received_at)
            VALUES (@id, @venue, @source, @ref, @type, @at)
            ON CONFLICT (source_system, call_reference) DO NOTHING
            RETURNING id, venue_id, signal_type, received_at
            """))
        {
            insert.Parameters.AddWithValue("id", Guid.CreateVersion7());
            insert.Parameters.AddWithValue("venue", venueId);
            insert.Parameters.AddWithValue("source", source);
            insert.Parameters.AddWithValue("ref", callReference);
            insert.Parameters.AddWithValue("type", type);
            insert.Parameters.AddWithValue("at", receivedAt);
            if (await ReadSignalAsync(insert, ct) is { } created)
            {
                return (created, true);
            }
        }

        // As with venues: a concurrent request's signal committed while the insert waited is visible only to a new statement.
        await using var select = dataSource.CreateCommand("""
            SELECT id, venue_id, signal_type, received_at FROM venue_signals WHERE source_system = @source AND call_reference = @ref
            """);
        select.Parameters.AddWithValue("source", source);
        select.Parameters.AddWithValue("ref", callReference);
        return ((await ReadSignalAsync(select, ct))!, false);
    }

    private static async Task<VenueSignal?> ReadSignalAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new VenueSignal(r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)) : null;
    }

    /// <summary>The rating of a half-year computed now from the signals (a preview until it is published).</summary>
    public async Task<IReadOnlyList<VenueRating>> ComputeAsync(HalfYear period, IReadOnlyList<string> regions, CancellationToken ct)
    {
        var o = options.CurrentValue;
        await using var cmd = dataSource.CreateCommand("""
            WITH weights AS (SELECT * FROM unnest(@types, @weights) AS w(signal_type, weight)),
            scored AS (
                SELECT v.id, v.name, v.kind, v.region, v.settlement, v.address,
                       count(s.id)::int AS signals, coalesce(sum(coalesce(w.weight, @default)), 0)::float8 AS score
                FROM venues v
                LEFT JOIN venue_signals s ON s.venue_id = v.id AND s.received_at >= @from AND s.received_at < @to
                LEFT JOIN weights w ON w.signal_type = s.signal_type
                WHERE v.active AND v.region = ANY(@regions)
                GROUP BY v.id)
            SELECT id, name, kind, region, settlement, address, signals, score,
                   CASE WHEN score <= @safe THEN 'safe' WHEN score <= @caution THEN 'caution' ELSE 'unsafe' END,
                   rank() OVER (PARTITION BY region ORDER BY score, signals)::int
            FROM scored ORDER BY region, 10, name
            """);
        cmd.Parameters.AddWithValue("types", o.VenueSignalWeights.Keys.ToArray());
        cmd.Parameters.AddWithValue("weights", o.VenueSignalWeights.Values.ToArray());
        cmd.Parameters.AddWithValue("default", o.DefaultSignalWeight);
        cmd.Parameters.AddWithValue("from", period.Start);
        cmd.Parameters.AddWithValue("to", period.End);
        cmd.Parameters.AddWithValue("regions", regions.ToArray());
        cmd.Parameters.AddWithValue("safe", o.VenueSafeMax);
        cmd.Parameters.AddWithValue("caution", o.VenueCautionMax);
        var list = new List<VenueRating>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new VenueRating(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt32(6),
                Math.Round(r.GetDouble(7), 2), r.GetString(8), r.GetInt32(9)));
        }

        return list;
    }

    /// <summary>Freezes a finished half-year's rating for every region; false when it was already published.</summary>
    public async Task<(bool Published, int Venues)> PublishAsync(HalfYear period, CancellationToken ct)
    {
        var ratings = await ComputeAsync(period, PublicSafety.ServiceDefaults.Auth.Regions.Names.Keys.ToArray(), ct);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Serializes two publishers of one half-year; the second sees the first's rows.
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('venue-rating:' || @period))", connection, tx))
        {
            lockCmd.Parameters.AddWithValue("period", period.ToString());
            await lockCmd.ExecuteNonQueryAsync(ct);
        }

        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM venue_ratings WHERE period = @period)", connection, tx))
        {
            exists.Parameters.AddWithValue("period", period.ToString());
            if ((bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                return (false, 0);
            }
        }

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO venue_ratings (period, venue_id, region, signals, weighted_score, grade, rank_in_region, published_at)
            SELECT @period, * , @now FROM unnest(@ids, @regions, @signals, @scores, @grades, @ranks)
            """, connection, tx))
        {
            insert.Parameters.AddWithValue("period", period.ToString());
            insert.Parameters.AddWithValue("ids", ratings.Select(x => x.VenueId).ToArray());
            insert.Parameters.AddWithValue("regions", ratings.Select(x => x.Region).ToArray());
            insert.Parameters.AddWithValue("signals", ratings.Select(x => x.Signals).ToArray());
            insert.Parameters.AddWithValue("scores", ratings.Select(x => x.WeightedScore).ToArray());
            insert.Parameters.AddWithValue("grades", ratings.Select(x => x.Grade).ToArray());
            insert.Parameters.AddWithValue("ranks", ratings.Select(x => x.RankInRegion).ToArray());
            insert.Parameters.AddWithValue("now", clock.GetUtcNow());
            await insert.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return (true, ratings.Count);
    }

    /// <summary>The published rating of a half-year (the latest published when null), optionally of one region.</summary>
    public async Task<(string? Period, IReadOnlyList<VenueRating> Ratings)> PublishedAsync(HalfYear? period, string? region, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            WITH p AS (SELECT coalesce(@period::text, (SELECT max(period) FROM venue_ratings)) AS period)
            SELECT p.period, v.id, v.name, v.kind, r.region, v.settlement, v.address, r.signals, r.weighted_score, r.grade, r.rank_in_region
            FROM p JOIN venue_ratings r ON r.period = p.period JOIN venues v ON v.id = r.venue_id
            WHERE @region::text IS NULL OR r.region = @region
            ORDER BY r.region, r.rank_in_region, v.name
            LIMIT 5000
            """);
        cmd.Parameters.Add(InteractionStore.Text("period", period?.ToString()));
        cmd.Parameters.Add(InteractionStore.Text("region", region));
        string? published = period?.ToString();
        var list = new List<VenueRating>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            published = r.GetString(0);
            list.Add(new VenueRating(r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6), r.GetInt32(7),
                r.GetDouble(8), r.GetString(9), r.GetInt32(10)));
        }

        return (published, list);
    }
}
