using static PublicSafety.Security.Tests.HttpCall;
using static PublicSafety.Security.Tests.Shapes;

namespace PublicSafety.Security.Tests;

/// <summary>
/// KZ-75 devices of the suite's vendor (a verified speed camera with a speeding fixation, one to update, one to move
/// along its lifecycle, a car-mounted one with a route, a section pair with a passage, two unpaired section devices),
/// three accidents at one spot (a hotspot) and the region's population.
/// </summary>
public sealed record RoadSeed(Guid Device, Guid Updated, Guid Moved, Guid Mobile, Guid Section, Guid FreeEntry, Guid FreeExit, Guid Fixation)
{
    public const string Serial = "ENUM-ROAD-SERIAL";
    public const string Plate = "975ENM02";
    public const string SectionName = "Enum section marker";
    public const string AccidentId = "ENUM-ACCIDENT-";
    public const string Road = "Enum road marker";
    public const double Lat = 43.2567, Lon = 76.9286;

    /// <summary>Where the accidents happened: more than the coverage distance (1 km) from every seeded device, so that the hotspot is uncovered.</summary>
    public const double AccidentLat = 43.20, AccidentLon = 76.70;

    public string[] DeviceSecrets => [Device.ToString(), Updated.ToString(), Moved.ToString(), Mobile.ToString(), Serial];

    public string D => $"/api/roadsafety/devices/{Device}";

    public static string Vendor => Callers.Vendors["RoadSafety"];

    public static object DeviceBody(string region, string serial, string kind = "instant_speed", double lat = Lat, double lon = Lon) => new
    {
        kind, vendorClientId = Vendor, vendor = "Enum vendor", model = "Кордон-М2", serialNumber = serial, approvalNumber = "KZ.02.01.12345-2023",
        approvalValidUntil = "2030-12-31", region, road = Road, kmMarker = 12.4m, direction = "increasing_km",
        latitude = kind == "mobile" ? (double?)null : lat, longitude = kind == "mobile" ? (double?)null : lon, owner = "road_authority",
        patrolVehicle = kind == "mobile" ? "Patrol 102" : null, status = "active", installedOn = "2025-05-01",
    };

    public static object Verification(string certificate) => new
    {
        certificateNumber = certificate, verifyingBody = "КазИнМетр", verifiedAt = Seed.Now.AddYears(-1), validUntil = Seed.Now.AddYears(1),
    };

    public static object FixationBody(Guid device, long sequence, DateTimeOffset at, string plate = Plate, int speed = 95) => new
    {
        deviceId = device, sequence, occurredAt = at, plate, speedKmh = speed, limitKmh = 60, lane = 1, violationCode = speed > 60 ? "speeding" : null,
        evidence = new[] { new { kind = "photo", id = $"ph-{sequence}", sha256 = new string('a', 64) } },
    };

    public static object Accident(string id, string region, int deaths = 1) => new
    {
        externalId = id, occurredAt = Seed.Now.AddDays(-30), region, road = Road, latitude = AccidentLat, longitude = AccidentLon, deaths, injuries = 2, cause = "speeding",
    };

    public static async Task<RoadSeed> CreateAsync(Seeder seeder)
    {
        async Task<Guid> DeviceAsync(string serial, string kind = "instant_speed", double lat = Lat, double lon = Lon)
        {
            var id = await seeder.IdAsync(Post("/api/roadsafety/devices", DeviceBody(Seed.At, serial, kind, lat, lon)));
            await seeder.SendAsync(Post($"/api/roadsafety/devices/{id}/verifications", Verification($"ПВ-{serial}")));
            return id;
        }

        var device = await DeviceAsync(Serial);
        var updated = await DeviceAsync(Serial + "-U");
        var moved = await DeviceAsync(Serial + "-M");
        var mobile = await DeviceAsync(Serial + "-CAR", "mobile");
        await seeder.SendAsync(Post($"/api/roadsafety/devices/{mobile}/routes", new { road = Road, startedAt = Seed.Now.AddHours(-5), endedAt = Seed.Now.AddHours(-4) }));
        var entry = await DeviceAsync(Serial + "-S1", "section", 43.30, 76.95);
        var exit = await DeviceAsync(Serial + "-S2", "section", 43.34, 76.97);
        var section = await seeder.IdAsync(Post("/api/roadsafety/sections", new
        {
            name = SectionName, entryDeviceId = entry, exitDeviceId = exit, lengthMeters = 5000.0, speedLimitKmh = 90, maxTravelSeconds = 900,
        }));
        var freeEntry = await DeviceAsync(Serial + "-S3", "section", 43.40, 76.99);
        var freeExit = await DeviceAsync(Serial + "-S4", "section", 43.44, 77.01);
        var batch = await seeder.SendAsync(Post("/api/roadsafety/fixations/batches", new
        {
            fixations = new[]
            {
                FixationBody(device, 1, Seed.Now.AddMinutes(-20)), FixationBody(entry, 1, Seed.Now.AddMinutes(-20), speed: 80),
                FixationBody(exit, 1, Seed.Now.AddMinutes(-20).AddSeconds(300), speed: 80),
            },
        }), Caller.NationalVendor);
        await seeder.SendAsync(Post("/api/roadsafety/accidents", new { accidents = new[] { 1, 2, 3 }.Select(i => Accident(AccidentId + i, Seed.At)).ToArray() }));
        await seeder.SendAsync(Put($"/api/roadsafety/indicators/population/{Seed.At}/{Seed.Now.Year}", new { population = 2_200_000, source = "Enum statistics" }));
        return new RoadSeed(device, updated, moved, mobile, section, freeEntry, freeExit, batch["results"]![0]!["fixationId"]!.GetValue<Guid>());
    }
}

public static class RoadCases
{
    private const string Devices = "/api/roadsafety/devices";

    private static string Range(DateTimeOffset from, DateTimeOffset to) => $"from={ProbationSeed.Q(from)}&to={ProbationSeed.Q(to)}";

    private static string Today => Range(Seed.Now.AddDays(-1), Seed.Now.AddDays(1));

    public static CaseTable Table => new()
    {
        { "GET /api/roadsafety/me", CaseTable.Exempt("the caller's own token, echoed back", _ => Get("/api/roadsafety/me")) },
        {
            "GET /api/roadsafety/devices", s =>
            [
                List(Get($"{Devices}?pageSize=500"), s.Road.DeviceSecrets),
                List(Get($"{Devices}?region=KZ-75&pageSize=500"), s.Road.DeviceSecrets),
                List(Get($"{Devices}?vendorClientId={RoadSeed.Vendor}&pageSize=500"), s.Road.DeviceSecrets),
            ]
        },
        { "POST /api/roadsafety/devices", _ => [Create(Post(Devices, RoadSeed.DeviceBody(Seed.At, "ENUM-NEW-SERIAL")))] },
        { "GET /api/roadsafety/devices/{id}", s => [Read(s.Road.D, s.Road.DeviceSecrets)] },
        {
            "PUT /api/roadsafety/devices/{id}", s =>
            [
                Write(Put($"{Devices}/{s.Road.Updated}", Renamed(RoadSeed.DeviceBody(Seed.At, RoadSeed.Serial + "-U"))),
                    Get($"{Devices}/{s.Road.Updated}"), s.Road.DeviceSecrets),
            ]
        },
        {
            "POST /api/roadsafety/devices/{id}/transitions", s =>
                [Write(Post($"{Devices}/{s.Road.Moved}/transitions", new { to = "maintenance" }), Get($"{Devices}/{s.Road.Moved}"), s.Road.DeviceSecrets)]
        },
        {
            "POST /api/roadsafety/devices/{id}/verifications", s =>
                [Write(Post($"{s.Road.D}/verifications", RoadSeed.Verification("ПВ-ENUM-NEW")), Get($"{s.Road.D}/verifications"))]
        },
        { "GET /api/roadsafety/devices/{id}/verifications", s => [Read($"{s.Road.D}/verifications", $"ПВ-{RoadSeed.Serial}")] },
        {
            "POST /api/roadsafety/devices/{id}/routes", s =>
                [Write(Post($"{Devices}/{s.Road.Mobile}/routes", new { road = "A-1", startedAt = Seed.Now.AddHours(-3), endedAt = Seed.Now.AddHours(-2) }),
                    Get($"{Devices}/{s.Road.Mobile}/routes"))]
        },
        { "GET /api/roadsafety/devices/{id}/routes", s => [Read($"{Devices}/{s.Road.Mobile}/routes", RoadSeed.Road)] },
        {
            "POST /api/roadsafety/sections", s =>
                [Create(Post("/api/roadsafety/sections", new
                {
                    name = "Astana section", entryDeviceId = s.Road.FreeEntry, exitDeviceId = s.Road.FreeExit, lengthMeters = 5000.0, speedLimitKmh = 90, maxTravelSeconds = 900,
                }))]
        },
        {
            "GET /api/roadsafety/sections", s =>
            [
                List(Get("/api/roadsafety/sections"), s.Road.Section.ToString(), RoadSeed.SectionName),
                List(Get("/api/roadsafety/sections?region=KZ-75"), s.Road.Section.ToString(), RoadSeed.SectionName),
            ]
        },
        { "GET /api/roadsafety/sections/{id}/passages", s => [Read($"/api/roadsafety/sections/{s.Road.Section}/passages?{Today}", RoadSeed.Plate)] },
        { "GET /api/roadsafety/rules", CaseTable.Exempt("the admissibility rule versions are national, the same for every region", _ => Get("/api/roadsafety/rules")) },
        {
            "POST /api/roadsafety/rules", _ =>
                [Write(Post("/api/roadsafety/rules", new
                {
                    effectiveFrom = Seed.Now.AddDays(30), speedToleranceKmh = 30, redLightGraceMs = 500, maxPlausibleSpeedKmh = 300, minSectionSeconds = 10,
                }), Get("/api/roadsafety/rules"))]
        },
        {
            "POST /api/roadsafety/fixations/batches", s =>
            [
                Ingest(Post("/api/roadsafety/fixations/batches", new { fixations = new[] { RoadSeed.FixationBody(s.Road.Device, 2, Seed.Now.AddMinutes(-5)) } }),
                    Get($"/api/roadsafety/fixations?deviceId={s.Road.Device}&{Today}"), RoadSeed.Plate),
                Ingest(Post("/api/roadsafety/fixations/batches", new { fixations = new[] { RoadSeed.FixationBody(s.Road.Device, 1, Seed.Now.AddMinutes(-20)) } }),
                    Get($"/api/roadsafety/fixations?deviceId={s.Road.Device}&{Today}"), s.Road.Fixation.ToString(), RoadSeed.Plate),
            ]
        },
        { "GET /api/roadsafety/fixations", s => [Read($"/api/roadsafety/fixations?deviceId={s.Road.Device}&{Today}", RoadSeed.Plate, s.Road.Fixation.ToString())] },
        {
            "GET /api/roadsafety/violations", s =>
            [
                List(Get($"/api/roadsafety/violations?{Today}&limit=1000"), RoadSeed.Plate),
                List(Get($"/api/roadsafety/violations?region=KZ-75&{Today}&limit=1000"), RoadSeed.Plate),
                List(Get($"/api/roadsafety/violations?deviceId={s.Road.Device}&{Today}&limit=1000"), RoadSeed.Plate),
            ]
        },
        {
            "POST /api/roadsafety/accidents", _ =>
            [
                Import(Post("/api/roadsafety/accidents", new { accidents = new[] { RoadSeed.Accident("ENUM-NEW-ACCIDENT", Seed.At) } })),
                Replay(Post("/api/roadsafety/accidents", new { accidents = new[] { RoadSeed.Accident(RoadSeed.AccidentId + 1, Callers.Region) } }),
                    Get($"/api/roadsafety/accidents?region=KZ-75&{Range(Seed.Now.AddDays(-40), Seed.Now)}"), RoadSeed.AccidentId, Seed.At),
            ]
        },
        {
            "GET /api/roadsafety/accidents", _ =>
            [
                List(Get($"/api/roadsafety/accidents?{Range(Seed.Now.AddDays(-40), Seed.Now)}&limit=1000"), RoadSeed.AccidentId),
                List(Get($"/api/roadsafety/accidents?region=KZ-75&{Range(Seed.Now.AddDays(-40), Seed.Now)}&limit=1000"), RoadSeed.AccidentId),
            ]
        },
        {
            "GET /api/roadsafety/hotspots", _ =>
            [
                List(Get("/api/roadsafety/hotspots?limit=500"), Seed.At),
                List(Get("/api/roadsafety/hotspots?region=KZ-75&limit=500"), Seed.At),
            ]
        },
        {
            "GET /api/roadsafety/hotspots/uncovered", _ =>
            [
                List(Get("/api/roadsafety/hotspots/uncovered?limit=500"), Seed.At),
                List(Get("/api/roadsafety/hotspots/uncovered?region=KZ-75&limit=500"), Seed.At),
            ]
        },
        {
            "GET /api/roadsafety/indicators/deaths", _ =>
            [
                List(Get($"/api/roadsafety/indicators/deaths?year={Seed.Now.Year}"), Seed.At),
                List(Get($"/api/roadsafety/indicators/deaths?year={Seed.Now.Year}&region=KZ-75"), Seed.At),
            ]
        },
        {
            "PUT /api/roadsafety/indicators/population/{region}/{year}", _ =>
                [Write(Put($"/api/roadsafety/indicators/population/KZ-75/{Seed.Now.Year}", new { population = 1, source = "Astana guess" }),
                    Get($"/api/roadsafety/indicators/deaths?year={Seed.Now.Year}&region=KZ-75"))]
        },
        {
            "GET /api/roadsafety/indicators/devices/{id}/daily", s =>
                [Read($"/api/roadsafety/indicators/devices/{s.Road.Device}/daily?from={Seed.Now.AddDays(-1):yyyy-MM-dd}&to={Seed.Now:yyyy-MM-dd}", s.Road.Device.ToString())]
        },
        {
            // Nothing seeded is an anomaly (that takes weeks of history): the control can't show a KZ-75 device here.
            "GET /api/roadsafety/indicators/devices/anomalies", s =>
            [
                ListUncontrolled(Get($"/api/roadsafety/indicators/devices/anomalies?day={Seed.Now:yyyy-MM-dd}"), [.. s.Road.DeviceSecrets, Seed.At]),
                ListUncontrolled(Get($"/api/roadsafety/indicators/devices/anomalies?day={Seed.Now:yyyy-MM-dd}&region=KZ-75"), [.. s.Road.DeviceSecrets, Seed.At]),
            ]
        },
        {
            // The share of a period up to now moves with the clock: the device itself is what must not change.
            "GET /api/roadsafety/indicators/devices/{id}/uptime", s =>
                [Write(Get($"/api/roadsafety/indicators/devices/{s.Road.Device}/uptime?{Today}"), Get(s.Road.D), "silentSeconds")]
        },
        { "GET /api/roadsafety/indicators/deployment", _ => [Aggregate(Get("/api/roadsafety/indicators/deployment"))] },
    };

    /// <summary>The device as registered, renamed; without status, which changes through transitions only.</summary>
    private static object Renamed(object body)
    {
        var node = Node(body)!.AsObject();
        node.Remove("status");
        node["model"] = "Renamed from Astana";
        return node;
    }
}
