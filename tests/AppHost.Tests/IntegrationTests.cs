using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.AppHost.Tests;

/// <summary>Each way the services talk to each other, end to end through the gateway: an integration event and a gRPC call.</summary>
[Collection(PlatformCollection.Name)]
public sealed class IntegrationTests(PlatformFixture platform)
{
    // Outbox → RabbitMQ → consumer, or an alert's camera lookup, on a busy machine: generous, and polled, never slept.
    private static readonly TimeSpan Eventual = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task APlacementEndedInCrisisCapacityLeadsFeedbackToIssueASurveyInvitation()
    {
        const string region = "KZ-47";
        using var crisis = platform.Gateway(Token(["crisis.manage", "crisis.placement"]));
        var facility = await CreateDetoxCentreAsync(crisis, region);
        var placement = await AdmitAsync(crisis, facility);

        // The person consents and names a safe channel kind at discharge: PlacementEnded carries both.
        using var discharged = await crisis.PostAsJsonAsync($"/api/crisis/placements/{placement}/discharge",
            new { reason = "programme_completed", surveyConsent = true, safeChannel = "sms" });
        Assert.Equal(HttpStatusCode.OK, discharged.StatusCode);

        // Feedback registers the stay as a crisis-centre interaction of unit crisis-centre:<id> and invites the person:
        // its indicators for that unit alone count one invitation.
        using var feedback = platform.Gateway(Token(["feedback.read"]));
        var today = DateTime.UtcNow.Date;
        var query = $"/api/feedback/indicators?region={region}&unit=crisis-centre:{facility}&kind=crisis_placement" +
                    $"&from={today.AddDays(-2):yyyy-MM-dd}&to={today.AddDays(3):yyyy-MM-dd}";
        long invitations = -1;
        var invited = await Eventually.HoldsAsync(async () =>
        {
            var indicators = await feedback.GetFromJsonAsync<JsonObject>(query);
            invitations = indicators!["responseRate"]!["invitations"]!.GetValue<long>();
            return invitations == 1;
        }, Eventual, TimeSpan.FromMilliseconds(500));
        Assert.True(invited, $"Feedback counted {invitations} invitations for the centre's unit");
    }

    [Fact]
    public async Task AProbationViolationRaisesAnAlertCarryingTheCamerasNearIt()
    {
        const string region = "KZ-75";
        const double homeLat = 43.2389, homeLon = 76.8897;
        using var cameras = platform.Gateway(Token(["cameras.manage"]));
        var camera = await RegisterActiveCameraAsync(cameras, region, homeLat + 0.001, homeLon);

        var officerName = "officer-" + Guid.NewGuid().ToString("N")[..10];
        using var officer = platform.Gateway(TestTokens.Create(new TokenRequest
        {
            Roles = ["probation.officer"], User = officerName, Region = region, Client = "probation-console",
        }));
        var person = await PostForIdAsync(officer, "/api/probation/persons", new
        {
            category = "parolee", region, courtOrder = "2-1234/2026", fullName = "Synthetic Person", nationalId = "900101300123",
            birthDate = "1990-01-01", supervisionStart = DateTimeOffset.UtcNow.AddDays(-10), supervisionEnd = DateTimeOffset.UtcNow.AddDays(200),
        });
        await PostForIdAsync(officer, $"/api/probation/persons/{person}/zones", new
        {
            kind = "exclusion", name = "Protected person's home", latitude = homeLat, longitude = homeLon, radiusMeters = 100, outerRadiusMeters = 300,
        });
        const string vendor = "vendor-gps-a";
        var serial = "SN-" + Guid.NewGuid().ToString("N")[..12];
        var device = await PostForIdAsync(officer, "/api/probation/devices",
            new { vendor, serial, kind = "bracelet", region, firmware = "4.2.1" });
        using var assigned = await officer.PostAsJsonAsync($"/api/probation/devices/{device}/assign", new { personId = person });
        Assert.True(assigned.IsSuccessStatusCode, await assigned.Content.ReadAsStringAsync());

        // A fix 15 m from the protected home, inside the exclusion zone, after the bracelet was fitted.
        using var bracelet = platform.Gateway(TestTokens.Create(new TokenRequest { Roles = ["probation.ingest"], Client = vendor }));
        var fix = new { device = serial, fixTime = DateTimeOffset.UtcNow, latitude = homeLat + 0.000135, longitude = homeLon, accuracy = 5.0, speed = 0.5 };
        using var telemetry = await bracelet.PostAsJsonAsync("/api/probation/telemetry", new { positions = new[] { fix } });
        Assert.True(telemetry.IsSuccessStatusCode, await telemetry.Content.ReadAsStringAsync());

        // Probation asks Cameras over gRPC for active cameras near the alert's point and attaches them.
        JsonObject? alert = null;
        var attached = await Eventually.HoldsAsync(async () =>
        {
            var alerts = await officer.GetFromJsonAsync<JsonArray>("/api/probation/alerts");
            alert = alerts!.OfType<JsonObject>().SingleOrDefault(a => a["personId"]!.GetValue<Guid>() == person);
            return alert?["camerasStatus"]!.GetValue<string>() is "attached" or "unavailable";
        }, Eventual, TimeSpan.FromMilliseconds(500));
        Assert.True(attached, $"no alert with a camera lookup for the person: {alert?.ToJsonString()}");
        Assert.Equal("attached", alert!["camerasStatus"]!.GetValue<string>());

        // The point and its cameras are a location read: the supervising officer gives a reason, and it is audited.
        var location = await officer.GetFromJsonAsync<JsonObject>(
            $"/api/probation/alerts/{alert["id"]!.GetValue<Guid>()}/location?reason=responding+to+the+alert");
        var nearby = location!["cameras"]!.AsArray().OfType<JsonObject>().ToArray();
        Assert.Contains(nearby, c => c["id"]!.GetValue<Guid>() == camera);
    }

    private static string Token(string[] roles) => TestTokens.Create(new TokenRequest { Roles = roles, Client = "apphost-test" });

    private static async Task<Guid> CreateDetoxCentreAsync(HttpClient crisis, string region) => await PostForIdAsync(crisis, "/api/crisis/facilities", new
    {
        kind = "crisis_centre_state", name = $"Test centre {Guid.NewGuid():N}", region, settlement = "Test settlement",
        latitude = 43.65, longitude = 51.16, confidentialAddress = $"Secret street {Guid.NewGuid():N}", phone = "+7 700 000 00 00",
        services = new { psychologist = true, lawyer = true, medicalCare = false, acceptsChildren = false, accessible = false },
        openAtNight = true, beds = new[] { new { category = "detox", total = 2, outOfService = 0 } },
    });

    private static async Task<Guid> AdmitAsync(HttpClient crisis, Guid facility)
    {
        var caseCode = $"CC-2026-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/crisis/placements")
        {
            Content = JsonContent.Create(new { facilityId = facility, category = "detox", caseCode, childrenAges = Array.Empty<int>() }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await crisis.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private static async Task<Guid> RegisterActiveCameraAsync(HttpClient cameras, string region, double latitude, double longitude) =>
        await PostForIdAsync(cameras, "/api/cameras", new
        {
            name = "Abay Ave / Dostyk", kind = "ptz", region, latitude, longitude, address = "Abay Ave 10", settlement = "Almaty",
            siteType = "street", owner = "akimat", capabilities = new[] { "night_vision" }, controlCentre = "ЦОУ ДП г. Алматы",
            installedOn = "2025-06-01", status = "active",
        });

    private static async Task<Guid> PostForIdAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }
}
