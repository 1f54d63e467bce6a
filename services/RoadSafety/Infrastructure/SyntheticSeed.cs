using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.RoadSafety.Extensions;
using PublicSafety.ServiceDefaults.Data;

namespace PublicSafety.RoadSafety.Infrastructure;

/// <summary>
/// A SYNTHETIC national dataset for demonstrations and the local stack, loaded by <c>dotnet PublicSafety.RoadSafety.dll seed</c>
/// (<see cref="SeedCommand"/>) or at start-up with <c>RoadSafety:SeedSynthetic=true</c>, both through <see cref="SyntheticLoader"/>. Its sizes follow the concept: the first
/// year of the plan (1,100 stationary systems, 7.2) and the 62 car-mounted complexes (7.3), 20 average-speed sections,
/// 20,000 accidents over the last 12 months around synthetic black spots with about 11.6 deaths per 100,000, and rounded
/// region populations. Every row is marked: vendor "Synthetic vendor", serial numbers and accident ids "SYN-...", sources
/// "synthetic". No real device, accident or location. Devices belong to the realm's <c>roadsafety-device-vendor</c> client,
/// so a local vendor token can post fixations for them. Deterministic ids; loaded once, in one transaction.
/// </summary>
public static class SyntheticDataset
{
    public const string VendorClientId = "roadsafety-device-vendor";
    public const int Stationary = 1100;
    public const int Mobile = 62;
    public const int Accidents = 20_000;

    /// <summary>Rounded, approximate 2024 populations, marked synthetic: replace with the official statistics (PUT .../population).</summary>
    public static readonly (string Region, int Population, double Lat, double Lon)[] Regions =
    [
        ("KZ-10", 600_000, 50.41, 80.23), ("KZ-11", 780_000, 53.28, 69.39), ("KZ-15", 930_000, 50.28, 57.17), ("KZ-19", 1_500_000, 43.87, 77.07),
        ("KZ-23", 700_000, 47.10, 51.92), ("KZ-27", 690_000, 51.23, 51.37), ("KZ-31", 1_200_000, 42.90, 71.37), ("KZ-33", 700_000, 45.02, 78.37),
        ("KZ-35", 1_130_000, 49.80, 73.10), ("KZ-39", 830_000, 53.21, 63.62), ("KZ-43", 830_000, 44.85, 65.51), ("KZ-47", 780_000, 43.65, 51.16),
        ("KZ-55", 750_000, 52.29, 76.97), ("KZ-59", 530_000, 54.87, 69.15), ("KZ-61", 2_100_000, 43.30, 68.25), ("KZ-62", 220_000, 47.80, 67.71),
        ("KZ-63", 720_000, 49.95, 82.61), ("KZ-71", 1_400_000, 51.17, 71.43), ("KZ-75", 2_200_000, 43.24, 76.89), ("KZ-79", 1_200_000, 42.34, 69.59),
    ];

    public const string Sql = """
        SELECT setseed(0.8);
        INSERT INTO region_population (region, year, population, source)
        SELECT region, 2024, population, 'synthetic: rounded approximation, replace with official statistics'
        FROM unnest(@regions, @populations) AS p(region, population)
        ON CONFLICT (region, year) DO NOTHING;

        CREATE TEMP TABLE seed_regions ON COMMIT DROP AS
        SELECT ordinality - 1 AS n, region, lat, lon FROM unnest(@regions, @lats, @lons) WITH ORDINALITY AS r(region, lat, lon);

        INSERT INTO devices (id, kind, vendor_client_id, vendor, model, serial_number, approval_number, approval_valid_until, region, road, km_marker,
                             direction, location, owner, patrol_vehicle, status, installed_on, commissioned_on)
        SELECT md5('synthetic-device-' || g)::uuid,
               CASE WHEN g > @stationary THEN 'mobile' WHEN g <= 40 THEN 'section'
                    ELSE (ARRAY['instant_speed', 'instant_speed', 'red_light', 'stop_line', 'lane'])[1 + g % 5] END,
               @vendor, 'Synthetic vendor', 'Synthetic model', 'SYN-' || lpad(g::text, 5, '0'), 'SYN-APPROVAL-1', date '2029-12-31',
               r.region, 'Synthetic road ' || (g % 7), (g % 500)::numeric, 'increasing_km',
               CASE WHEN g > @stationary THEN NULL
                    WHEN g <= 40 THEN ST_SetSRID(ST_MakePoint(r.lon + 0.3 + (g % 2) * 0.045, r.lat + 0.3), 4326)::geography
                    ELSE ST_SetSRID(ST_MakePoint(r.lon + (random() - 0.5) * 1.5, r.lat + (random() - 0.5) * 1.0), 4326)::geography END,
               CASE WHEN g % 3 = 0 THEN 'akimat' ELSE 'road_authority' END,
               CASE WHEN g > @stationary THEN 'Synthetic patrol ' || (g - @stationary) END,
               'active', date '2024-03-01' + (g % 300), date '2024-04-01' + (g % 270)
        FROM generate_series(1, @stationary + @mobile) g
        JOIN seed_regions r ON r.n = (CASE WHEN g <= 40 THEN (g - 1) / 2 ELSE g END) % 20
        ON CONFLICT DO NOTHING;

        -- One in twenty certificates lapsed ten days ago: the registry shows them flagged.
        INSERT INTO device_verifications (id, device_id, certificate_number, verifying_body, verified_at, valid_until)
        SELECT md5('synthetic-verification-' || d.id)::uuid, d.id, 'SYN-CERT-' || d.serial_number, 'Synthetic verifying body',
               CASE WHEN right(d.serial_number, 2)::int % 20 = 7 THEN now() - interval '375 days' ELSE now() - interval '180 days' END,
               CASE WHEN right(d.serial_number, 2)::int % 20 = 7 THEN now() - interval '10 days' ELSE now() + interval '545 days' END
        FROM devices d WHERE d.vendor = 'Synthetic vendor'
        ON CONFLICT DO NOTHING;

        INSERT INTO sections (id, name, region, entry_device_id, exit_device_id, length_m, speed_limit_kmh, max_travel_seconds)
        SELECT md5('synthetic-section-' || s)::uuid, 'Synthetic section ' || s, e.region, e.id, x.id, 5000, 90, 900
        FROM generate_series(1, 20) s
        JOIN devices e ON e.id = md5('synthetic-device-' || (2 * s - 1))::uuid
        JOIN devices x ON x.id = md5('synthetic-device-' || (2 * s))::uuid
        ON CONFLICT DO NOTHING;

        -- Accidents: two thirds around 400 synthetic black spots, the rest scattered; deaths about 11.6 per 100,000 a year.
        CREATE TEMP TABLE seed_spots ON COMMIT DROP AS
        SELECT s, r.region, r.lat + (random() - 0.5) * 2 AS lat, r.lon + (random() - 0.5) * 3 AS lon
        FROM generate_series(0, 399) s JOIN seed_regions r ON r.n = s % 20;
        INSERT INTO accidents (id, external_id, occurred_at, region, road, location, deaths, injuries, cause)
        SELECT md5('synthetic-accident-' || g)::uuid, 'SYN-' || g, now() - random() * interval '365 days', sp.region, 'Synthetic road',
               CASE WHEN g % 3 < 2 THEN ST_SetSRID(ST_MakePoint(sp.lon + (random() - 0.5) * 0.02, sp.lat + (random() - 0.5) * 0.015), 4326)::geography
                    ELSE ST_SetSRID(ST_MakePoint(sp.lon + (random() - 0.5) * 2, sp.lat + (random() - 0.5) * 1.5), 4326)::geography END,
               CASE WHEN random() < 0.116 THEN 1 ELSE 0 END, (random() * 2.2)::int,
               (ARRAY['speeding', 'speeding', 'manoeuvring', 'oncoming_lane', 'overtaking', 'drunk_driving', 'pedestrian', 'road_condition', 'rollover', 'other'])[1 + g % 10]
        FROM generate_series(1, @accidents) g JOIN seed_spots sp ON sp.s = g % 400
        ON CONFLICT DO NOTHING;
        """;
}

public sealed record SeedResult(SeedOutcome Outcome, long Devices, long Sections, long Accidents, long Regions);

/// <summary>
/// Loads <see cref="SyntheticDataset"/> into the migrated schema, once: a database that already holds it is left as it is, and one
/// that holds any real device, accident or region population is refused, so that invented rows never count in real indicators
/// and hotspots (nothing tells them apart afterwards but their labels). The seed command and the start-up flag both use it.
/// </summary>
public sealed class SyntheticLoader(NpgsqlDataSource db)
{
    /// <summary>Real data: anything the dataset does not label as its own (vendor, SYN- serials and ids, synthetic sources).</summary>
    private const string HoldsRealData = """
        SELECT EXISTS (SELECT 1 FROM devices WHERE vendor <> 'Synthetic vendor' OR serial_number NOT LIKE 'SYN-%')
            OR EXISTS (SELECT 1 FROM accidents WHERE external_id IS NULL OR external_id NOT LIKE 'SYN-%')
            OR EXISTS (SELECT 1 FROM region_population WHERE source NOT LIKE 'synthetic%')
        """;

    public async Task<SeedResult> LoadAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Two loaders at once (the flag on several replicas, or the command beside a flagged service): the second waits and
        // then finds the dataset loaded.
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('roadsafety-synthetic-seed'))", connection, tx))
        {
            await lockCmd.ExecuteNonQueryAsync(ct);
        }

        // The dataset is written in one transaction, so its first device stands for all of it.
        if (await ScalarAsync<bool>(connection, tx, "SELECT EXISTS (SELECT 1 FROM devices WHERE id = md5('synthetic-device-1')::uuid)", ct))
        {
            return await CountAsync(SeedOutcome.AlreadyLoaded, connection, tx, ct);
        }

        if (await ScalarAsync<bool>(connection, tx, HoldsRealData, ct))
        {
            return new SeedResult(SeedOutcome.RefusedRealData, 0, 0, 0, 0);
        }

        await using (var cmd = new NpgsqlCommand(SyntheticDataset.Sql, connection, tx) { CommandTimeout = 300 })
        {
            cmd.Parameters.AddWithValue("regions", SyntheticDataset.Regions.Select(r => r.Region).ToArray());
            cmd.Parameters.AddWithValue("populations", SyntheticDataset.Regions.Select(r => r.Population).ToArray());
            cmd.Parameters.AddWithValue("lats", SyntheticDataset.Regions.Select(r => r.Lat).ToArray());
            cmd.Parameters.AddWithValue("lons", SyntheticDataset.Regions.Select(r => r.Lon).ToArray());
            cmd.Parameters.AddWithValue("vendor", SyntheticDataset.VendorClientId);
            cmd.Parameters.AddWithValue("stationary", SyntheticDataset.Stationary);
            cmd.Parameters.AddWithValue("mobile", SyntheticDataset.Mobile);
            cmd.Parameters.AddWithValue("accidents", SyntheticDataset.Accidents);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        var result = await CountAsync(SeedOutcome.Loaded, connection, tx, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    private static async Task<SeedResult> CountAsync(SeedOutcome outcome, NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM devices WHERE vendor = 'Synthetic vendor'), (SELECT count(*) FROM sections),
                   (SELECT count(*) FROM accidents WHERE external_id LIKE 'SYN-%'), (SELECT count(*) FROM region_population WHERE source LIKE 'synthetic%')
            """, connection, tx);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new SeedResult(outcome, r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>Loads <see cref="SyntheticDataset"/> through <see cref="SyntheticLoader"/> once the schema is there, when <c>RoadSafety:SeedSynthetic=true</c>.</summary>
public sealed partial class SyntheticSeeder(SyntheticLoader loader, IOptions<RoadSafetyOptions> options, ILogger<SyntheticSeeder> logger) : BackgroundService
{
    /// <summary>
    /// Fails the start when the flag is set in Production: synthetic devices, accidents and populations would sit among real
    /// ones (they count in the indicators and the hotspots) and nothing would undo it.
    /// </summary>
    public static void RefuseInProduction(IHostApplicationBuilder builder)
    {
        if (builder.Environment.IsProduction() && builder.Configuration.GetValue<bool>($"{RoadSafetyOptions.Section}:{nameof(RoadSafetyOptions.SeedSynthetic)}"))
        {
            throw new InvalidOperationException(
                "RoadSafety:SeedSynthetic is true in the Production environment: the synthetic dataset is for demonstrations and the local stack " +
                "and would mix with real devices, accidents and populations. Remove the setting (RoadSafety__SeedSynthetic) to start.");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SeedSynthetic) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var result = await loader.LoadAsync(stoppingToken);
                if (result.Outcome == SeedOutcome.RefusedRealData)
                {
                    LogRefused();
                }
                else
                {
                    LogDone(SeedCommand.Describe(result));
                }

                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                // The schema is not migrated yet (42P01) or PostgreSQL is away: try again shortly.
                LogRetry(ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "{Outcome}")]
    private partial void LogDone(string outcome);

    [LoggerMessage(LogLevel.Warning, "SYNTHETIC DATA NOT LOADED: the database holds real devices, accidents or region populations; the synthetic dataset is never mixed with them")]
    private partial void LogRefused();

    [LoggerMessage(LogLevel.Information, "Synthetic dataset not loaded yet ({Reason}); retrying")]
    private partial void LogRetry(string reason);
}
