using Npgsql;
using NpgsqlTypes;
using PublicSafety.ServiceDefaults.Data;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>
/// A synthetic national dataset for demonstrations, load tests and the coverage reports: settlements of all 20 regions with
/// rounded, approximate populations (about 19.9 million residents in all, 122 settlements), cameras at a plausible density (about one per 100
/// residents on average: more in the three cities of republican significance, fewer in rural settlements; the target of
/// 14.2 is 15), schools with their security systems (14.1) and designated crime-prone sites (task 5). Regional centres keep
/// their real names so that maps read sensibly; every other name, every address and every location is invented, and every
/// row carries <c>synthetic = true</c>. Deterministic for a given camera count, apart from ids and dates relative to today.
/// </summary>
public static class SyntheticCameraDataset
{
    public const string Name = "national-synthetic";
    public const int Version = 1;

    /// <summary>The client id of the realm's "Camera vendor" client: a share of the cameras report through it.</summary>
    public const string VendorClientId = "camera-vendor";

    public sealed record Settlement(string Region, string Name, int Population, double Latitude, double Longitude, double CamerasPer100, string ControlCentre);

    // Region, centre, centre population, region population, centre location, cameras per 100 residents in the centre.
    private static readonly (string Region, string Centre, int CentrePopulation, int RegionPopulation, double Lat, double Lon, double Rate)[] RegionTable =
    [
        ("KZ-10", "Semey", 350_000, 600_000, 50.41, 80.23, 1.1), ("KZ-11", "Kokshetau", 150_000, 790_000, 53.28, 69.39, 1.1),
        ("KZ-15", "Aktobe", 580_000, 930_000, 50.28, 57.17, 1.1), ("KZ-19", "Konaev", 110_000, 1_500_000, 43.87, 77.07, 1.0),
        ("KZ-23", "Atyrau", 390_000, 700_000, 47.10, 51.92, 1.1), ("KZ-27", "Oral", 330_000, 690_000, 51.23, 51.37, 1.1),
        ("KZ-31", "Taraz", 360_000, 1_220_000, 42.90, 71.37, 1.0), ("KZ-33", "Taldykorgan", 170_000, 700_000, 45.02, 78.37, 1.0),
        ("KZ-35", "Karaganda", 500_000, 1_130_000, 49.80, 73.10, 1.2), ("KZ-39", "Kostanay", 260_000, 830_000, 53.21, 63.62, 1.1),
        ("KZ-43", "Kyzylorda", 250_000, 840_000, 44.85, 65.51, 1.0), ("KZ-47", "Aktau", 270_000, 790_000, 43.65, 51.16, 1.1),
        ("KZ-55", "Pavlodar", 360_000, 750_000, 52.29, 76.97, 1.1), ("KZ-59", "Petropavl", 220_000, 530_000, 54.87, 69.15, 1.0),
        ("KZ-61", "Turkistan", 230_000, 2_150_000, 43.30, 68.25, 0.9), ("KZ-62", "Zhezkazgan", 90_000, 220_000, 47.80, 67.71, 1.0),
        ("KZ-63", "Oskemen", 370_000, 720_000, 49.95, 82.61, 1.1), ("KZ-71", "Astana", 1_400_000, 1_400_000, 51.17, 71.43, 1.6),
        ("KZ-75", "Almaty", 2_200_000, 2_200_000, 43.24, 76.89, 1.6), ("KZ-79", "Shymkent", 1_200_000, 1_200_000, 42.34, 69.59, 1.4),
    ];

    private const int RuralSettlementsPerRegion = 6;
    private const double RuralCamerasPer100 = 0.5;

    /// <summary>20 regional centres and, in the 17 oblasts, six synthetic rural settlements sharing the rest of the population.</summary>
    public static IReadOnlyList<Settlement> Settlements()
    {
        var random = new Random(Version);
        var settlements = new List<Settlement>();
        foreach (var (region, centre, centrePopulation, regionPopulation, lat, lon, rate) in RegionTable)
        {
            var controlCentre = $"ЦОУ ДП {centre} (synthetic)";
            settlements.Add(new Settlement(region, centre, centrePopulation, lat, lon, rate, controlCentre));
            var rural = regionPopulation - centrePopulation;
            for (var i = 1; rural > 0 && i <= RuralSettlementsPerRegion; i++)
            {
                // Shares 2:3:4:5:6:7 of the rest; the last one takes the rounding.
                var population = i == RuralSettlementsPerRegion ? rural - settlements.TakeLast(i - 1).Sum(s => s.Population) : rural * (i + 1) / 27;
                settlements.Add(new Settlement(region, $"Synthetic settlement {region}-{i:D2}", population,
                    lat + (random.NextDouble() - 0.5) * 2.4, lon + (random.NextDouble() - 0.5) * 3.2, RuralCamerasPer100, controlCentre));
            }
        }

        return settlements;
    }

    /// <summary>The camera count at the dataset's own densities (178,632).</summary>
    public static int DefaultCameras => Settlements().Sum(s => CamerasAt(s, 1));

    internal static int CamerasAt(Settlement s, double scale) => Math.Max(3, (int)Math.Round(s.Population * s.CamerasPer100 / 100 * scale));
}

public sealed record SeedResult(SeedOutcome Outcome, int Settlements, long Residents, int Cameras, int Schools, int Sites, int Regions);

/// <summary>
/// Loads <see cref="SyntheticCameraDataset"/> in one transaction: all of it or nothing. Refuses a database that already holds
/// real (non-synthetic) cameras, settlements, schools or sites, so that invented rows can never mix into a real inventory;
/// a second load finds the dataset recorded in <c>synthetic_datasets</c> and changes nothing.
/// </summary>
public sealed class SyntheticSeeder(NpgsqlDataSource dataSource, TimeProvider time, ILogger<SyntheticSeeder> logger)
{
    private const int Batch = 10_000;
    private const long LockKey = 0x5345_4544_4341_4D; // "SEEDCAM": concurrent seed commands wait for each other

    private static readonly string[] SiteTypes = ["street", "street", "street", "street", "yard", "yard", "yard", "public_transport", "road", "road", "park", "entertainment_venue", "other"];
    private static readonly string[] Owners = ["police", "police", "police", "akimat", "akimat", "akimat", "akimat", "private_security", "private_security", "other"];

    public async Task<SeedResult> SeedAsync(int? cameraCount, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await Execute(connection, tx, "SELECT pg_advisory_xact_lock(@key)", ct, ("key", LockKey));
        if (await Scalar<bool>(connection, tx, "SELECT EXISTS (SELECT 1 FROM synthetic_datasets WHERE name = @name)", ct, ("name", SyntheticCameraDataset.Name)))
        {
            return await RecordedAsync(connection, tx, ct);
        }

        if (await Scalar<bool>(connection, tx, """
            SELECT EXISTS (SELECT 1 FROM cameras WHERE NOT synthetic) OR EXISTS (SELECT 1 FROM settlements WHERE NOT synthetic)
                OR EXISTS (SELECT 1 FROM schools WHERE NOT synthetic) OR EXISTS (SELECT 1 FROM crime_prone_sites WHERE NOT synthetic)
            """, ct))
        {
            return new SeedResult(SeedOutcome.RefusedRealData, 0, 0, 0, 0, 0, 0);
        }

        var settlements = SyntheticCameraDataset.Settlements();
        var scale = cameraCount is { } wanted ? (double)wanted / SyntheticCameraDataset.DefaultCameras : 1;
        var random = new Random(SyntheticCameraDataset.Version);
        var cameras = new CameraRows();
        var schools = new List<(Guid Id, string Region, string Settlement, string Name, string PanicButton, string Guard)>();
        var sites = new List<(Guid Id, string Region, string Name, double Lat, double Lon)>();
        var firstInstall = new DateOnly(2016, 1, 1);
        var installSpan = today.DayNumber - firstInstall.DayNumber;

        foreach (var s in settlements)
        {
            var budget = SyntheticCameraDataset.CamerasAt(s, scale);
            // A settlement's cameras spread around its centre, more widely the larger it is (about 27 km across for Almaty).
            var spreadKm = 2 + Math.Sqrt(s.Population) / 60;
            (double Lat, double Lon) Around(double lat, double lon, double km)
            {
                var (dx, dy) = (Gaussian(random) * km / 2.5, Gaussian(random) * km / 2.5);
                return (Math.Clamp(lat + dy / 111.0, -89.9, 89.9), Math.Clamp(lon + dx / (111.0 * Math.Cos(lat * Math.PI / 180)), -179.9, 179.9));
            }

            DateOnly Installed() => firstInstall.AddDays(random.Next(installSpan + 1));

            var siteCount = Math.Max(1, s.Population / 25_000);
            for (var i = 0; i < siteCount; i++)
            {
                var (lat, lon) = Around(s.Latitude, s.Longitude, spreadKm);
                sites.Add((Guid.CreateVersion7(), s.Region, $"Synthetic crime-prone site {sites.Count + 1:D4} ({s.Name})", lat, lon));
                // Task 5 asks where video analytics is missing: about six in ten sites already have an active camera at ~30 m (the first
                // site of each settlement always, so that every settlement has at least one active camera).
                if ((i == 0 || random.NextDouble() < 0.6) && budget > 0)
                {
                    cameras.Add(s, "ptz", "active", lat + 0.00027, lon, "street", "police", "night_vision,crowd_analytics", Installed(), null, null);
                    budget--;
                }
            }

            var schoolCount = Math.Max(1, s.Population / 2700);
            for (var i = 0; i < schoolCount; i++)
            {
                var roll = random.NextDouble();
                var guardRoll = random.NextDouble();
                var id = Guid.CreateVersion7();
                schools.Add((id, s.Region, s.Name, $"Synthetic school {schools.Count + 1:D5} ({s.Name})",
                    roll < 0.80 ? "working" : roll < 0.88 ? "faulty" : "missing",
                    guardRoll < 0.85 ? "posted" : guardRoll < 0.92 ? "vacant" : "missing"));
                // Most schools have two cameras; some none (they show up in the compliance report).
                for (var c = 0; c < 2 && budget > 0 && roll < 0.93; c++, budget--)
                {
                    var (lat, lon) = Around(s.Latitude, s.Longitude, spreadKm);
                    var status = random.NextDouble() < 0.9 ? "active" : "maintenance";
                    cameras.Add(s, "fixed", status, lat, lon, "school", "school", random.NextDouble() < 0.7 ? "night_vision" : "", Installed(), null, id);
                }
            }

            for (; budget > 0; budget--)
            {
                var (lat, lon) = Around(s.Latitude, s.Longitude, spreadKm);
                var kindRoll = random.NextDouble();
                var kind = kindRoll < 0.88 ? "fixed" : kindRoll < 0.98 ? "ptz" : "body_worn";
                var statusRoll = random.NextDouble();
                var status = statusRoll < 0.05 ? "planned" : statusRoll < 0.09 ? "installed" : statusRoll < 0.93 ? "active" : statusRoll < 0.98 ? "maintenance" : "decommissioned";
                var siteType = kind == "body_worn" ? "other" : SiteTypes[random.Next(SiteTypes.Length)];
                var owner = kind == "body_worn" ? "police" : Owners[random.Next(Owners.Length)];
                var capabilities = new List<string>();
                if (random.NextDouble() < 0.7) capabilities.Add("night_vision");
                if (siteType is "street" or "road" && random.NextDouble() < 0.3) capabilities.Add("licence_plate_recognition");
                if (random.NextDouble() < 0.1) capabilities.Add("face_recognition");
                if (siteType is "park" or "entertainment_venue" or "public_transport" && random.NextDouble() < 0.3) capabilities.Add("crowd_analytics");
                if (kind == "body_worn" || random.NextDouble() < 0.05) capabilities.Add("audio");
                var vendor = kind != "body_worn" && random.NextDouble() < 0.25 ? SyntheticCameraDataset.VendorClientId : null;
                cameras.Add(s, kind, status, lat, lon, siteType, owner, string.Join(',', capabilities.Order(StringComparer.Ordinal)),
                    status == "planned" ? null : Installed(), vendor, null);
            }
        }

        await InsertSettlementsAsync(connection, tx, settlements, now, ct);
        await InsertSchoolsAsync(connection, tx, schools, now, ct);
        await InsertSitesAsync(connection, tx, sites, now, ct);
        for (var offset = 0; offset < cameras.Count; offset += Batch)
        {
            await cameras.InsertAsync(connection, tx, offset, Math.Min(Batch, cameras.Count - offset), now, ct);
        }

        await Execute(connection, tx, """
            INSERT INTO synthetic_datasets (name, version, settlements, cameras, schools, sites, loaded_at)
            VALUES (@name, @version, @settlements, @cameras, @schools, @sites, @now)
            """, ct, ("name", SyntheticCameraDataset.Name), ("version", SyntheticCameraDataset.Version), ("settlements", settlements.Count),
            ("cameras", cameras.Count), ("schools", schools.Count), ("sites", sites.Count), ("now", now));
        await tx.CommitAsync(ct);
        await Execute(connection, null, "ANALYZE cameras", ct);
        logger.LogInformation("Synthetic dataset {Dataset} v{Version} loaded: {Settlements} settlements, {Cameras} cameras, {Schools} schools, {Sites} sites",
            SyntheticCameraDataset.Name, SyntheticCameraDataset.Version, settlements.Count, cameras.Count, schools.Count, sites.Count);
        return new SeedResult(SeedOutcome.Loaded, settlements.Count, settlements.Sum(s => (long)s.Population), cameras.Count, schools.Count, sites.Count,
            settlements.Select(s => s.Region).Distinct().Count());
    }

    private static async Task<SeedResult> RecordedAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT d.settlements, d.cameras, d.schools, d.sites,
                   (SELECT coalesce(sum(population), 0) FROM settlements WHERE synthetic), (SELECT count(DISTINCT region) FROM settlements WHERE synthetic)
            FROM synthetic_datasets d WHERE d.name = @name
            """, connection, tx);
        cmd.Parameters.AddWithValue("name", SyntheticCameraDataset.Name);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new SeedResult(SeedOutcome.AlreadyLoaded, r.GetInt32(0), r.GetInt64(4), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), (int)r.GetInt64(5));
    }

    private static async Task InsertSettlementsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<SyntheticCameraDataset.Settlement> settlements,
        DateTimeOffset now, CancellationToken ct) =>
        await Execute(connection, tx, """
            INSERT INTO settlements (region, name, population, updated_at, synthetic)
            SELECT region, name, population, @now, true FROM unnest(@regions, @names, @populations) AS t(region, name, population)
            """, ct, ("regions", settlements.Select(s => s.Region).ToArray()), ("names", settlements.Select(s => s.Name).ToArray()),
            ("populations", settlements.Select(s => s.Population).ToArray()), ("now", now));

    private static async Task InsertSchoolsAsync(NpgsqlConnection connection, NpgsqlTransaction tx,
        List<(Guid Id, string Region, string Settlement, string Name, string PanicButton, string Guard)> schools, DateTimeOffset now, CancellationToken ct) =>
        await Execute(connection, tx, """
            INSERT INTO schools (id, region, settlement, name, address, panic_button, guard, updated_at, synthetic)
            SELECT id, region, settlement, name, 'Synthetic address, ' || settlement || ' (not a real place)', panic_button, guard, @now, true
            FROM unnest(@ids, @regions, @settlements, @names, @panic, @guards) AS t(id, region, settlement, name, panic_button, guard)
            """, ct, ("ids", schools.Select(s => s.Id).ToArray()), ("regions", schools.Select(s => s.Region).ToArray()),
            ("settlements", schools.Select(s => s.Settlement).ToArray()), ("names", schools.Select(s => s.Name).ToArray()),
            ("panic", schools.Select(s => s.PanicButton).ToArray()), ("guards", schools.Select(s => s.Guard).ToArray()), ("now", now));

    private static async Task InsertSitesAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<(Guid Id, string Region, string Name, double Lat, double Lon)> sites,
        DateTimeOffset now, CancellationToken ct) =>
        await Execute(connection, tx, """
            INSERT INTO crime_prone_sites (id, region, name, location, designated_at, synthetic)
            SELECT id, region, name, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, @now, true
            FROM unnest(@ids, @regions, @names, @lats, @lons) AS t(id, region, name, lat, lon)
            """, ct, ("ids", sites.Select(s => s.Id).ToArray()), ("regions", sites.Select(s => s.Region).ToArray()), ("names", sites.Select(s => s.Name).ToArray()),
            ("lats", sites.Select(s => s.Lat).ToArray()), ("lons", sites.Select(s => s.Lon).ToArray()), ("now", now));

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx) { CommandTimeout = 600 };
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The cameras to insert, column by column, for unnest() in batches.</summary>
    private sealed class CameraRows
    {
        private readonly List<Guid> _ids = [];
        private readonly List<string> _names = [], _kinds = [], _statuses = [], _regions = [], _addresses = [], _settlements = [], _siteTypes = [], _owners = [],
            _capabilities = [], _centres = [];
        private readonly List<double> _lats = [], _lons = [];
        private readonly List<DateOnly?> _installed = [];
        private readonly List<string?> _vendors = [];
        private readonly List<Guid?> _schools = [];

        public int Count => _ids.Count;

        public void Add(SyntheticCameraDataset.Settlement s, string kind, string status, double lat, double lon, string siteType, string owner,
            string capabilities, DateOnly? installedOn, string? vendor, Guid? school)
        {
            var n = _ids.Count + 1;
            _ids.Add(Guid.CreateVersion7());
            _names.Add($"Synthetic camera {n:D6}");
            _kinds.Add(kind);
            _statuses.Add(status);
            _regions.Add(s.Region);
            _addresses.Add($"Synthetic address {n}, {s.Name} (not a real place)");
            _settlements.Add(s.Name);
            _siteTypes.Add(siteType);
            _owners.Add(owner);
            _capabilities.Add(capabilities);
            _centres.Add(s.ControlCentre);
            _lats.Add(lat);
            _lons.Add(lon);
            _installed.Add(installedOn);
            _vendors.Add(vendor);
            _schools.Add(school);
        }

        public async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, int offset, int count, DateTimeOffset now, CancellationToken ct)
        {
            await using var cmd = new NpgsqlCommand("""
                WITH inserted AS (
                    INSERT INTO cameras (id, name, kind, status, region, location, address, settlement, site_type, owner, capabilities, control_centre,
                                         installed_on, vendor_client_id, school_id, synthetic, created_at, updated_at)
                    SELECT id, name, kind, status, region, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography, address, settlement, site_type, owner,
                           string_to_array(capabilities, ','), control_centre, installed_on, vendor, school, true, @now, @now
                    FROM unnest(@ids, @names, @kinds, @statuses, @regions, @lats, @lons, @addresses, @settlements, @site_types, @owners, @capabilities,
                                @centres, @installed, @vendors, @schools)
                         AS t(id, name, kind, status, region, lat, lon, address, settlement, site_type, owner, capabilities, control_centre, installed_on,
                              vendor, school)
                    RETURNING id, status)
                INSERT INTO camera_status_history (camera_id, from_status, to_status, reason, changed_by, changed_at)
                SELECT id, NULL, status, 'synthetic dataset', 'seed', @now FROM inserted
                """, connection, tx) { CommandTimeout = 600 };
            cmd.Parameters.AddWithValue("ids", _ids.GetRange(offset, count).ToArray());
            cmd.Parameters.AddWithValue("names", _names.GetRange(offset, count).ToArray());
            cmd.Parameters.AddWithValue("kinds", _kinds.GetRange(offset, count).ToArray());
            cmd.Parameters.AddWithValue("statuses", _statuses.GetRange(offset, count).ToArray());
            cmd.Parameters.AddWithValue("regions", _regions.GetRange(offset, count).ToArray());
            cmd.Parameters.AddWithValue("lats", _lats.GetRange(offset, count).ToArray());
            cmd.Parameters.AddWithValue("lons", _lons.GetRange(offset, count).ToArray());
            cmd.Parameters.AddWithValue("addresses", _addresses.GetRange(offset, count).ToArray());
            cmd.Parameters.AddWithValue("settlements", _settlements.GetRange(offset, count).ToArray());
            cmd.Parameters.AddWithValue("site_types", _siteTypes.GetRange(offset, count).ToArray());
            cmd.Parameters.AddWithValue("owners", _owners.GetRange(offset, count).ToArray());
            cmd.Parameters.AddWithValue("capabilities", _capabilities.GetRange(offset, count).ToArray());
            cmd.Parameters.AddWithValue("centres", _centres.GetRange(offset, count).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter("installed", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = _installed.GetRange(offset, count).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("vendors", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = _vendors.GetRange(offset, count).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("schools", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = _schools.GetRange(offset, count).ToArray() });
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
