using PublicSafety.Testing;
using static PublicSafety.Security.Tests.HttpCall;
using static PublicSafety.Security.Tests.Shapes;

namespace PublicSafety.Security.Tests;

/// <summary>
/// A KZ-75 person supervised by the suite's officer (whose KZ-71 token is the same person: same subject), with a zone, an
/// exception, an open custody period, a check-in, a read of their locations, a device in stock and a worn one whose
/// tamper event raised a violation and an alert; and a KZ-71 person and device of the same officer.
/// </summary>
public sealed record ProbationSeed(
    Guid Person, string Reference, Guid Zone, Guid Custody, Guid CheckIn, Guid Stock, Guid Worn, Guid Violation, Guid Alert, Guid OwnPerson, Guid OwnDevice)
{
    public const string FullName = "Enumerated Personmarker";
    public const string CourtOrder = "2-7575/2026";
    public const string PersonKey = "enum-person-key-0001";
    public const string CheckInKey = "enum-checkin-key-0001";
    public const string StockSerial = "SN-ENUM-STOCK-75";
    public const string WornSerial = "SN-ENUM-WORN-75";
    public const string ZoneName = "EnumZoneMarker";
    public const string Note = "EnumProbationNoteMarker";
    public const string ReadReason = "EnumAuditedReadMarker";

    public string[] PersonSecrets => [Person.ToString(), Reference, FullName, CourtOrder];

    public string[] DeviceSecrets => [Stock.ToString(), Worn.ToString(), StockSerial, WornSerial];

    public string P => $"/api/probation/persons/{Person}";

    public static object PersonBody(string region, string fullName = FullName, string courtOrder = CourtOrder) => new
    {
        category = "parolee", region, courtOrder, fullName, nationalId = "900101300123", birthDate = "1990-01-01",
        supervisionStart = Seed.Now.AddDays(-10), supervisionEnd = Seed.Now.AddDays(200),
    };

    public static object DeviceBody(string serial, string region) => new { vendor = Callers.Vendors["Probation"], serial, kind = "bracelet", region, firmware = "4.2.1" };

    public static object Telemetry(string serial, DateTimeOffset at, string kind) => new
    {
        positions = new[] { new { device = serial, fixTime = at, latitude = 43.2389, longitude = 76.8897, accuracy = 10.0, speed = 0.5 } },
        events = new[] { new { device = serial, at = at.AddSeconds(10), kind, batteryPercent = 9 } },
    };

    public static async Task<ProbationSeed> CreateAsync(Seeder seeder)
    {
        var person = await seeder.SendAsync(Post("/api/probation/persons", PersonBody(Seed.At), PersonKey));
        var id = person["id"]!.GetValue<Guid>();
        var p = $"/api/probation/persons/{id}";
        var zone = await seeder.IdAsync(Post($"{p}/zones", new
        {
            kind = "exclusion", name = ZoneName, latitude = 43.30, longitude = 76.95, radiusMeters = 100.0, outerRadiusMeters = 300.0,
        }));
        await seeder.SendAsync(Post($"{p}/exceptions", new { reason = "work", startsAt = Seed.Now.AddDays(1), endsAt = Seed.Now.AddDays(1).AddHours(8), note = Note }));
        var checkIn = await seeder.IdAsync(Post($"{p}/check-ins", new { unit = "Enum probation office", surveyConsent = false }, CheckInKey));
        var stock = await seeder.IdAsync(Post("/api/probation/devices", DeviceBody(StockSerial, Seed.At)));
        var worn = await seeder.IdAsync(Post("/api/probation/devices", DeviceBody(WornSerial, Seed.At)));
        await seeder.SendAsync(Post($"/api/probation/devices/{worn}/assign", new { personId = id }));
        // What a device reports from before its assignment is not its wearer's: the bracelet was fitted an hour ago.
        await seeder.SqlAsync("""
            UPDATE devices SET assigned_at = @at WHERE id = @d;
            UPDATE device_assignments SET assigned_at = @at WHERE device_id = @d AND ended_at IS NULL
            """, ("at", Seed.Now.AddHours(-1)), ("d", worn));
        await seeder.SendAsync(Post("/api/probation/telemetry", Telemetry(WornSerial, Seed.Now.AddMinutes(-30), "strap_tamper")), Caller.NationalVendor);
        var violation = (await seeder.SendAsync(Get($"{p}/violations")))[0]!["id"]!.GetValue<Guid>();
        var alert = await SettledAlertAsync(seeder, violation);
        await seeder.SendAsync(Get($"{p}/positions?from={Q(Seed.Now.AddHours(-1))}&to={Q(Seed.Now.AddMinutes(1))}&reason={ReadReason}"));
        // After the telemetry: custody suppresses the alerts of violations in it.
        var custody = await seeder.IdAsync(Post($"{p}/custody", new { startsAt = Seed.Now, note = Note }));
        var own = await seeder.IdAsync(Post("/api/probation/persons", PersonBody(Callers.Region, "Astana Person", "2-7171/2026")));
        var ownDevice = await seeder.IdAsync(Post("/api/probation/devices", DeviceBody("SN-ENUM-STOCK-71", Callers.Region)));
        return new ProbationSeed(id, person["reference"]!.GetValue<string>(), zone, custody, checkIn, stock, worn, violation, alert, own, ownDevice);
    }

    /// <summary>The alert of the violation once its nearby cameras are settled (a background job looks them up): before that it would change under a case.</summary>
    private static async Task<Guid> SettledAlertAsync(Seeder seeder, Guid violation)
    {
        Guid? alert = null;
        var settled = await Eventually.HoldsAsync(async () =>
        {
            var row = (await seeder.SendAsync(Get("/api/probation/alerts?scope=own"))).AsArray()
                .FirstOrDefault(a => a!["violationId"]!.GetValue<Guid>() == violation);
            alert = row?["id"]!.GetValue<Guid>();
            return row is not null && row["camerasStatus"]!.GetValue<string>() != "pending";
        }, TimeSpan.FromSeconds(60));
        Assert.True(settled, "The seeded violation's alert did not settle its nearby cameras within 60 s.");
        return alert!.Value;
    }

    public static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));
}

public static class ProbationCases
{
    private const string Persons = "/api/probation/persons";
    private const string Devices = "/api/probation/devices";
    private const string Alerts = "/api/probation/alerts";

    private static string History(ProbationSeed s) =>
        $"{s.P}/positions?from={ProbationSeed.Q(Seed.Now.AddHours(-2))}&to={ProbationSeed.Q(Seed.Now.AddMinutes(1))}&reason=Checking+the+night+of+the+alert";

    public static CaseTable Table => new()
    {
        { "GET /api/probation/me", CaseTable.Exempt("the caller's own token, echoed back", _ => Get("/api/probation/me")) },
        {
            "POST /api/probation/telemetry", s =>
            [
                Ingest(Post("/api/probation/telemetry", ProbationSeed.Telemetry(ProbationSeed.WornSerial, Seed.Now.AddMinutes(-10), "battery_low")),
                    Get($"{Devices}/{s.Probation.Worn}"), [.. s.Probation.PersonSecrets, s.Probation.Worn.ToString()]),
                Ingest(Post("/api/probation/telemetry", ProbationSeed.Telemetry(ProbationSeed.WornSerial, Seed.Now.AddMinutes(-9), "case_opened")),
                    Get($"{s.Probation.P}/violations"), [.. s.Probation.PersonSecrets, s.Probation.Worn.ToString()]),
            ]
        },
        {
            "POST /api/probation/persons", s =>
            [
                Create(Post(Persons, ProbationSeed.PersonBody(Seed.At), "enum-new-person")),
                Replay(Post(Persons, ProbationSeed.PersonBody(Callers.Region), ProbationSeed.PersonKey), Get(s.Probation.P), [.. s.Probation.PersonSecrets]),
                Replay(Post(Persons, ProbationSeed.PersonBody(Seed.At), ProbationSeed.PersonKey), Get(s.Probation.P), [.. s.Probation.PersonSecrets]),
            ]
        },
        {
            "GET /api/probation/persons", s =>
            [
                List(Get($"{Persons}?scope=own"), s.Probation.PersonSecrets),
                List(Get($"{Persons}?scope=region"), s.Probation.PersonSecrets),
                List(Get(Persons), s.Probation.PersonSecrets),
            ]
        },
        { "GET /api/probation/persons/{id}", s => [Read(s.Probation.P, s.Probation.PersonSecrets)] },
        {
            "PATCH /api/probation/persons/{id}/supervision", s =>
            [
                Write(Patch($"{s.Probation.P}/supervision", new { supervisionEnd = Seed.Now.AddDays(300) }), Get(s.Probation.P), s.Probation.PersonSecrets),
                Write(Patch($"{s.Probation.P}/supervision", new { officerSubject = "user-someone-else" }), Get(s.Probation.P), s.Probation.PersonSecrets),
            ]
        },
        {
            "POST /api/probation/persons/{id}/zones", s =>
                [Write(Post($"{s.Probation.P}/zones", new { kind = "inclusion", name = "Home", latitude = 43.2, longitude = 76.9, radiusMeters = 80.0 }), Get($"{s.Probation.P}/zones"))]
        },
        { "GET /api/probation/persons/{id}/zones", s => [Read($"{s.Probation.P}/zones", ProbationSeed.ZoneName, s.Probation.Zone.ToString())] },
        { "DELETE /api/probation/persons/{id}/zones/{zoneId}", s => [Write(Delete($"{s.Probation.P}/zones/{s.Probation.Zone}"), Get($"{s.Probation.P}/zones"))] },
        {
            "POST /api/probation/persons/{id}/exceptions", s =>
                [Write(Post($"{s.Probation.P}/exceptions", new { reason = "medical", startsAt = Seed.Now.AddDays(2), endsAt = Seed.Now.AddDays(2).AddHours(2) }),
                    Get($"{s.Probation.P}/exceptions"))]
        },
        { "GET /api/probation/persons/{id}/exceptions", s => [Read($"{s.Probation.P}/exceptions", ProbationSeed.Note)] },
        {
            "POST /api/probation/persons/{id}/custody", s =>
                [Write(Post($"{s.Probation.P}/custody", new { startsAt = Seed.Now.AddDays(-5), endsAt = Seed.Now.AddDays(-4) }), Get($"{s.Probation.P}/custody"))]
        },
        { "GET /api/probation/persons/{id}/custody", s => [Read($"{s.Probation.P}/custody", ProbationSeed.Note, s.Probation.Custody.ToString())] },
        {
            "POST /api/probation/persons/{id}/custody/{custodyId}/end", s =>
                [Write(Post($"{s.Probation.P}/custody/{s.Probation.Custody}/end", new { }), Get($"{s.Probation.P}/custody"))]
        },
        {
            "POST /api/probation/persons/{id}/check-ins", s =>
            [
                Create(Post($"{s.Probation.P}/check-ins", new { unit = "Astana office", surveyConsent = false }, "enum-new-check-in")),
                Replay(Post($"{s.Probation.P}/check-ins", new { unit = "Enum probation office", surveyConsent = false }, ProbationSeed.CheckInKey), null,
                    s.Probation.CheckIn.ToString()),
                Replay(Post($"{Persons}/{s.Probation.OwnPerson}/check-ins", new { unit = "Enum probation office", surveyConsent = false }, ProbationSeed.CheckInKey), null,
                    s.Probation.CheckIn.ToString(), s.Probation.Person.ToString()),
            ]
        },
        { "GET /api/probation/persons/{id}/positions", s => [Write(Get(History(s.Probation)), Get($"{s.Probation.P}/location-reads"), "43.2389")] },
        { "GET /api/probation/persons/{id}/location-reads", s => [Read($"{s.Probation.P}/location-reads", ProbationSeed.ReadReason)] },
        { "GET /api/probation/persons/{id}/violations", s => [Read($"{s.Probation.P}/violations", s.Probation.Violation.ToString())] },
        {
            "GET /api/probation/persons/{id}/violations/{violationId}/evidence", s =>
                [Write(Get($"{s.Probation.P}/violations/{s.Probation.Violation}/evidence?reason=Checking+the+tamper+alert"), Get($"{s.Probation.P}/location-reads"), "43.2389")]
        },
        { "POST /api/probation/devices", _ => [Create(Post(Devices, ProbationSeed.DeviceBody("SN-ENUM-NEW-75", Seed.At)))] },
        {
            "GET /api/probation/devices", s =>
            [
                List(Get(Devices), s.Probation.DeviceSecrets),
                List(Get($"{Devices}?status=in_stock"), s.Probation.DeviceSecrets),
            ]
        },
        { "GET /api/probation/devices/{id}", s => [Read($"{Devices}/{s.Probation.Stock}", s.Probation.DeviceSecrets)] },
        { "GET /api/probation/devices/{id}/assignments", s => [Read($"{Devices}/{s.Probation.Worn}/assignments", s.Probation.Person.ToString())] },
        {
            "POST /api/probation/devices/{id}/assign", s =>
            [
                Write(Post($"{Devices}/{s.Probation.Stock}/assign", new { personId = s.Probation.OwnPerson }), Get($"{Devices}/{s.Probation.Stock}")),
                Write(Post($"{Devices}/{s.Probation.OwnDevice}/assign", new { personId = s.Probation.Person }), Get($"{Devices}/{s.Probation.OwnDevice}"),
                    s.Probation.PersonSecrets),
            ]
        },
        { "POST /api/probation/devices/{id}/release", s => [Write(Post($"{Devices}/{s.Probation.Worn}/release", new { status = "returned" }), Get($"{Devices}/{s.Probation.Worn}"))] },
        { "POST /api/probation/devices/{id}/status", s => [Write(Post($"{Devices}/{s.Probation.Stock}/status", new { status = "faulty" }), Get($"{Devices}/{s.Probation.Stock}"))] },
        {
            "GET /api/probation/alerts", s =>
            [
                List(Get($"{Alerts}?scope=own"), s.Probation.Alert.ToString(), s.Probation.Reference),
                List(Get($"{Alerts}?scope=region"), s.Probation.Alert.ToString(), s.Probation.Reference),
                List(Get(Alerts), s.Probation.Alert.ToString(), s.Probation.Reference),
            ]
        },
        {
            // The alert's point and cameras are an audited read: refused, and no location_reads row is written for it.
            "GET /api/probation/alerts/{id}/location", s =>
                [Write(Get($"{Alerts}/{s.Probation.Alert}/location?reason=Checking+the+alert+from+Astana"), Get($"{s.Probation.P}/location-reads"), "43.2389")]
        },
        { "GET /api/probation/alerts/{id}", s => [Read($"{Alerts}/{s.Probation.Alert}", s.Probation.Alert.ToString(), s.Probation.Reference)] },
        { "POST /api/probation/alerts/{id}/acknowledge", s => [Write(Post($"{Alerts}/{s.Probation.Alert}/acknowledge"), Get($"{Alerts}/{s.Probation.Alert}"))] },
        {
            "POST /api/probation/alerts/{id}/resolve", s =>
                [Write(Post($"{Alerts}/{s.Probation.Alert}/resolve", new { note = "Handled from Astana" }), Get($"{Alerts}/{s.Probation.Alert}"))]
        },
    };
}
