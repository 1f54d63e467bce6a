using PublicSafety.Contracts.Crisis.V1;
using static PublicSafety.Security.Tests.HttpCall;
using static PublicSafety.Security.Tests.Shapes;

namespace PublicSafety.Security.Tests;

/// <summary>
/// KZ-75 facilities (one to read and book in, one for the update, one for the delete: a refusal that fails must not
/// spoil the other cases), a live hold and a placement in the first, and a KZ-71 facility of the caller's own region.
/// </summary>
public sealed record CrisisSeed(Guid Facility, Guid Updated, Guid Deleted, Guid Reservation, Guid Placement, Guid Own)
{
    public const string Name = "EnumCrisisCentreMarker";
    public const string Address = "EnumConfidentialAddressMarker";
    public const string ReservationKey = "enum-reservation-key-0001";
    public const string PlacementKey = "enum-placement-key-0001";
    public const double Lat = 43.2567, Lon = 76.9286;

    public string[] Secrets => [Facility.ToString(), Updated.ToString(), Deleted.ToString(), Name, Address];

    public static object FacilityBody(string region, string name, double lat = Lat, double lon = Lon) => new
    {
        kind = "crisis_centre_state", name, region, settlement = "Almaty", latitude = lat, longitude = lon,
        confidentialAddress = $"{Address} {name}", phone = "+7 700 000 00 00",
        services = new { psychologist = true, lawyer = true, medicalCare = false, acceptsChildren = true, accessible = true },
        openAtNight = true, beds = new[] { new { category = "women", total = 10, outOfService = 0 }, new { category = "men", total = 6, outOfService = 0 } },
    };

    public static object Booking(Guid facility, string caseCode) => new { facilityId = facility, category = "women", caseCode, beds = 1 };

    public static object Admission(Guid facility, string caseCode) => new { facilityId = facility, category = "women", caseCode, childrenAges = Array.Empty<int>() };

    public static async Task<CrisisSeed> CreateAsync(Seeder seeder)
    {
        var facility = await seeder.IdAsync(Post("/api/crisis/facilities", FacilityBody(Seed.At, Name)));
        var updated = await seeder.IdAsync(Post("/api/crisis/facilities", FacilityBody(Seed.At, Name + "Updated", Lat + 0.01)));
        var deleted = await seeder.IdAsync(Post("/api/crisis/facilities", FacilityBody(Seed.At, Name + "Deleted", Lat + 0.02)));
        var own = await seeder.IdAsync(Post("/api/crisis/facilities", FacilityBody(Callers.Region, "Astana centre", 51.1694, 71.4491)));
        var reservation = await seeder.IdAsync(Post("/api/crisis/reservations", Booking(facility, "CC-2026-E0001A"), ReservationKey));
        var placement = await seeder.IdAsync(Post("/api/crisis/placements", Admission(facility, "CC-2026-E0002B"), PlacementKey));
        return new CrisisSeed(facility, updated, deleted, reservation, placement, own);
    }
}

public static class CrisisCases
{
    private const string Facilities = "/api/crisis/facilities";
    private const string Reservations = "/api/crisis/reservations";
    private const string Placements = "/api/crisis/placements";

    public static CaseTable Table => new()
    {
        { "GET /api/crisis/me", CaseTable.Exempt("the caller's own token, echoed back", _ => Get("/api/crisis/me")) },
        { "GET /api/crisis/facilities/{id}", s => [Read($"{Facilities}/{s.Crisis.Facility}", s.Crisis.Secrets)] },
        {
            "PUT /api/crisis/facilities/{id}", s =>
            [
                Write(Put($"{Facilities}/{s.Crisis.Updated}", CrisisSeed.FacilityBody(Callers.Region, "Moved to Astana")), Get($"{Facilities}/{s.Crisis.Updated}"), s.Crisis.Secrets),
                Write(Put($"{Facilities}/{s.Crisis.Updated}", CrisisSeed.FacilityBody(Seed.At, "Renamed")), Get($"{Facilities}/{s.Crisis.Updated}"), s.Crisis.Secrets),
            ]
        },
        { "DELETE /api/crisis/facilities/{id}", s => [Write(Delete($"{Facilities}/{s.Crisis.Deleted}"), Get($"{Facilities}/{s.Crisis.Deleted}"), s.Crisis.Secrets)] },
        { "POST /api/crisis/facilities", _ => [Create(Post(Facilities, CrisisSeed.FacilityBody(Seed.At, "Another Almaty centre")))] },
        {
            "GET /api/crisis/availability", s =>
            [
                List(Get($"/api/crisis/availability?lat={CrisisSeed.Lat}&lon={CrisisSeed.Lon}&radiusKm=50&limit=200"), s.Crisis.Secrets),
                List(Get("/api/crisis/availability?region=KZ-75&limit=200"), s.Crisis.Secrets),
            ]
        },
        {
            "POST /api/crisis/reservations", s =>
            [
                Write(Post(Reservations, CrisisSeed.Booking(s.Crisis.Facility, "CC-2026-E0003C"), "enum-new-hold"), Get($"{Facilities}/{s.Crisis.Facility}"), s.Crisis.Secrets),
                Replay(Post(Reservations, CrisisSeed.Booking(s.Crisis.Facility, "CC-2026-E0001A"), CrisisSeed.ReservationKey), Get($"{Reservations}/{s.Crisis.Reservation}"),
                    [s.Crisis.Reservation.ToString(), "CC-2026-E0001A", .. s.Crisis.Secrets]),
                Replay(Post(Reservations, CrisisSeed.Booking(s.Crisis.Own, "CC-2026-E0001A"), CrisisSeed.ReservationKey), Get($"{Reservations}/{s.Crisis.Reservation}"),
                    [s.Crisis.Reservation.ToString(), .. s.Crisis.Secrets]),
            ]
        },
        { "GET /api/crisis/reservations/{id}", s => [Read($"{Reservations}/{s.Crisis.Reservation}", s.Crisis.Reservation.ToString(), "CC-2026-E0001A")] },
        { "DELETE /api/crisis/reservations/{id}", s => [Write(Delete($"{Reservations}/{s.Crisis.Reservation}"), Get($"{Reservations}/{s.Crisis.Reservation}"))] },
        {
            "POST /api/crisis/reservations/{id}/placement", s =>
                [Write(Post($"{Reservations}/{s.Crisis.Reservation}/placement", new { childrenAges = Array.Empty<int>() }), Get($"{Reservations}/{s.Crisis.Reservation}"))]
        },
        {
            "POST /api/crisis/placements", s =>
            [
                Write(Post(Placements, CrisisSeed.Admission(s.Crisis.Facility, "CC-2026-E0004D"), "enum-new-admission"), Get($"{Facilities}/{s.Crisis.Facility}"), s.Crisis.Secrets),
                Replay(Post(Placements, CrisisSeed.Admission(s.Crisis.Facility, "CC-2026-E0002B"), CrisisSeed.PlacementKey), Get($"{Placements}/{s.Crisis.Placement}"),
                    [s.Crisis.Placement.ToString(), "CC-2026-E0002B", .. s.Crisis.Secrets]),
                Replay(Post(Placements, CrisisSeed.Admission(s.Crisis.Own, "CC-2026-E0002B"), CrisisSeed.PlacementKey), Get($"{Placements}/{s.Crisis.Placement}"),
                    [s.Crisis.Placement.ToString(), .. s.Crisis.Secrets]),
            ]
        },
        { "GET /api/crisis/placements/{id}", s => [Read($"{Placements}/{s.Crisis.Placement}", s.Crisis.Placement.ToString(), "CC-2026-E0002B")] },
        {
            "POST /api/crisis/placements/{id}/discharge", s =>
                [Write(Post($"{Placements}/{s.Crisis.Placement}/discharge", new { reason = "returned_home" }), Get($"{Placements}/{s.Crisis.Placement}"))]
        },
        { "GET /api/crisis/analytics/deficit", _ => [List(Get("/api/crisis/analytics/deficit?days=30"), Seed.At)] },
        {
            "GET /api/crisis/feeds/edxl-have", s =>
            [
                List(Get("/api/crisis/feeds/edxl-have"), s.Crisis.Secrets),
                List(Get("/api/crisis/feeds/edxl-have?region=KZ-75"), s.Crisis.Secrets),
            ]
        },
        {
            "gRPC publicsafety.crisis.v1.BedAvailability/FindAvailableBeds", s =>
            [
                List(FindBeds(new FindAvailableBedsRequest { Near = new GeoPoint { Latitude = CrisisSeed.Lat, Longitude = CrisisSeed.Lon }, RadiusMeters = 50_000, MaxResults = 200 }),
                    s.Crisis.Secrets),
                List(FindBeds(new FindAvailableBedsRequest { Region = Seed.At, MaxResults = 200 }), s.Crisis.Secrets),
            ]
        },
    };

    public static GrpcCall FindBeds(FindAvailableBedsRequest request) =>
        new("/publicsafety.crisis.v1.BedAvailability/FindAvailableBeds", request, FindAvailableBedsResponse.Descriptor);
}
