using System.Globalization;
using PublicSafety.Probation.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Apis;

/// <summary>Checks at the edge. Messages never echo the value: it may be identity or a location.</summary>
public static class Validation
{
    public const int MaxText = 300;
    public static readonly string[] Categories = ["parolee", "administrative_supervision", "house_arrest"];
    public static readonly string[] ZoneKinds = ["inclusion", "exclusion"];
    public static readonly string[] ExceptionReasons = ["work", "medical", "court", "other"];
    public static readonly string[] DeviceKinds = ["bracelet", "base_unit"];

    /// <summary>
    /// The same instant at offset 0. Clients here naturally send +05:00, and Npgsql writes timestamptz only from UTC:
    /// every time taken from a request goes through this before it reaches a store.
    /// </summary>
    public static DateTimeOffset? ToUtc(this DateTimeOffset? at) => at?.ToUniversalTime();

    public static void Text(Dictionary<string, string[]> e, string field, string? value, bool required, int max = MaxText)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) e[field] = [$"{field} is required."];
        }
        else if (value.Length > max || !PlainText.IsClean(value))
        {
            e[field] = [$"{field} must be at most {max} characters without control characters."];
        }
    }

    public static void OneOf(Dictionary<string, string[]> e, string field, string? value, string[] allowed)
    {
        if (value is null || !allowed.Contains(value)) e[field] = [$"{field} must be one of {string.Join(", ", allowed)}."];
    }

    public static void Region(Dictionary<string, string[]> e, string? region)
    {
        if (!Regions.IsValid(region)) e["region"] = ["region must be an ISO 3166-2:KZ region code, e.g. KZ-75."];
    }

    public static void Point(Dictionary<string, string[]> e, double? lat, double? lon, string prefix = "")
    {
        if (lat is not { } la || !double.IsFinite(la) || la is < -90 or > 90) e[prefix + "latitude"] = ["latitude must be between -90 and 90."];
        if (lon is not { } lo || !double.IsFinite(lo) || lo is < -180 or > 180) e[prefix + "longitude"] = ["longitude must be between -180 and 180."];
    }

    /// <summary>
    /// A birth date is checked against today in Kazakhstan on the injected clock: between 19:00 and midnight UTC the
    /// country is already on the next day, and a person born that day is not born in the future.
    /// </summary>
    public static Dictionary<string, string[]> Person(PersonRequest? r, TimeProvider time)
    {
        var e = new Dictionary<string, string[]>();
        if (r is null)
        {
            e["body"] = ["A person is required."];
            return e;
        }

        OneOf(e, "category", r.Category, Categories);
        Region(e, r.Region);
        Text(e, "courtOrder", r.CourtOrder, required: true, max: 100);
        Text(e, "fullName", r.FullName, required: true);
        if (r.NationalId is not null && (r.NationalId.Length != 12 || !r.NationalId.All(char.IsAsciiDigit)))
            e["nationalId"] = ["nationalId must be a 12-digit IIN."];
        if (r.BirthDate is { } b && (b.Year < 1900 || b > Kazakhstan.LocalDate(time.GetUtcNow()))) e["birthDate"] = ["birthDate must be a past date."];
        if (r.SupervisionStart is null) e["supervisionStart"] = ["supervisionStart is required."];
        if (r.SupervisionEnd is null) e["supervisionEnd"] = ["supervisionEnd is required."];
        else if (r.SupervisionStart is { } s && r.SupervisionEnd <= s) e["supervisionEnd"] = ["supervisionEnd must be after supervisionStart."];
        else if (r.SupervisionStart is { } s2 && r.SupervisionEnd - s2 > TimeSpan.FromDays(365 * 25)) e["supervisionEnd"] = ["supervision may last at most 25 years."];
        return e;
    }

    public static Dictionary<string, string[]> Zone(ZoneRequest? r)
    {
        var e = new Dictionary<string, string[]>();
        if (r is null)
        {
            e["body"] = ["A zone is required."];
            return e;
        }

        OneOf(e, "kind", r.Kind, ZoneKinds);
        Text(e, "name", r.Name, required: true, max: 100);
        Point(e, r.Latitude, r.Longitude);
        if (r.RadiusMeters is not { } radius || !double.IsFinite(radius) || radius is < 20 or > 10_000)
            e["radiusMeters"] = ["radiusMeters must be between 20 and 10000."];
        if (r.Kind == "exclusion")
        {
            if (r.OuterRadiusMeters is not { } outer || !double.IsFinite(outer) || outer > 20_000 || r.RadiusMeters is { } inner && outer <= inner)
                e["outerRadiusMeters"] = ["outerRadiusMeters must be greater than radiusMeters and at most 20000."];
            if (r.Curfews is { Length: > 0 }) e["curfews"] = ["Only inclusion zones have curfews."];
        }
        else if (r.OuterRadiusMeters is not null)
        {
            e["outerRadiusMeters"] = ["Only exclusion zones have an outer ring."];
        }

        if (r.Curfews is { Length: > 7 }) e["curfews"] = ["At most 7 curfews per zone."];
        for (var i = 0; i < (r.Curfews?.Length ?? 0); i++)
        {
            var c = r.Curfews![i];
            if (c is null || !TryTime(c.Start, out var start) || !TryTime(c.End, out var end) || start == end)
                e[$"curfews[{i}]"] = ["start and end must be different local times as HH:mm."];
            else if (c.Days is { } days && (days.Length > 7 || days.Any(d => d is < 1 or > 7) || days.Distinct().Count() != days.Length))
                e[$"curfews[{i}].days"] = ["days must be distinct ISO weekdays, 1 (Monday) to 7 (Sunday)."];
        }

        return e;
    }

    public static bool TryTime(string? value, out TimeOnly time) =>
        TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static Dictionary<string, string[]> Period(DateTimeOffset? start, DateTimeOffset? end, bool endRequired, TimeSpan maxLength)
    {
        var e = new Dictionary<string, string[]>();
        if (start is null) e["startsAt"] = ["startsAt is required."];
        if (end is null && endRequired) e["endsAt"] = ["endsAt is required."];
        if (start is { } s && end is { } en && (en <= s || en - s > maxLength))
            e["endsAt"] = [$"endsAt must be after startsAt and at most {maxLength.TotalDays:0} days later."];
        return e;
    }

    public static Dictionary<string, string[]> Device(DeviceRequest? r)
    {
        var e = new Dictionary<string, string[]>();
        if (r is null)
        {
            e["body"] = ["A device is required."];
            return e;
        }

        Text(e, "vendor", r.Vendor, required: true, max: 100);
        Text(e, "serial", r.Serial, required: true, max: 64);
        OneOf(e, "kind", r.Kind, DeviceKinds);
        Region(e, r.Region);
        Text(e, "firmware", r.Firmware, required: false, max: 64);
        return e;
    }

    public const int MaxPositions = 5000;
    public const int MaxEvents = 1000;
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxFixAge = TimeSpan.FromDays(7);

    public static Dictionary<string, string[]> Telemetry(TelemetryBatch? batch, DateTimeOffset now)
    {
        var e = new Dictionary<string, string[]>();
        var positions = batch?.Positions ?? [];
        var events = batch?.Events ?? [];
        if (positions.Length + events.Length == 0 || positions.Length > MaxPositions || events.Length > MaxEvents)
        {
            e["body"] = [$"A batch holds 1 to {MaxPositions} positions and up to {MaxEvents} events."];
            return e;
        }

        for (var i = 0; i < positions.Length && e.Count < 20; i++)
        {
            var p = positions[i];
            var at = $"positions[{i}].";
            if (p is null)
            {
                e[$"positions[{i}]"] = ["A position is required."];
                continue;
            }

            Serial(e, at + "device", p.Device);
            When(e, at + "fixTime", p.FixTime, now);
            Point(e, p.Latitude, p.Longitude, at);
            if (p.Accuracy is not { } a || !double.IsFinite(a) || a is <= 0 or > 10_000) e[at + "accuracy"] = ["accuracy must be more than 0 and at most 10000 metres."];
            if (p.Speed is { } s && (!double.IsFinite(s) || s is < 0 or > 150)) e[at + "speed"] = ["speed must be between 0 and 150 m/s."];
        }

        for (var i = 0; i < events.Length && e.Count < 20; i++)
        {
            var ev = events[i];
            var at = $"events[{i}].";
            if (ev is null)
            {
                e[$"events[{i}]"] = ["An event is required."];
                continue;
            }

            Serial(e, at + "device", ev.Device);
            When(e, at + "at", ev.At, now);
            OneOf(e, at + "kind", ev.Kind, DeviceEventKinds.All);
            if (ev.BatteryPercent is { } b && b is < 0 or > 100) e[at + "batteryPercent"] = ["batteryPercent must be between 0 and 100."];
            Text(e, at + "firmware", ev.Firmware, required: false, max: 64);
        }

        return e;
    }

    private static void Serial(Dictionary<string, string[]> e, string field, string? serial)
    {
        if (string.IsNullOrWhiteSpace(serial) || serial.Length > 64 || !PlainText.IsClean(serial)) e[field] = ["device must be the vendor's serial, 1 to 64 characters."];
    }

    private static void When(Dictionary<string, string[]> e, string field, DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is null) e[field] = [$"{field} is required."];
        else if (at > now + MaxClockSkew) e[field] = [$"{field} is in the future."];
        else if (at < now - MaxFixAge) e[field] = [$"{field} is older than {MaxFixAge.TotalDays:0} days."];
    }
}
