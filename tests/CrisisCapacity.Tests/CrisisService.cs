using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.CrisisCapacity.Tests;

/// <summary>The real CrisisCapacity process on a fresh PostgreSQL/PostGIS database, shared by the tests of a collection.</summary>
public class CrisisService : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _environment;

    public CrisisService()
        : this(new Dictionary<string, string?>())
    {
    }

    protected CrisisService(Dictionary<string, string?> environment)
    {
        _environment = environment;
        _environment["Grpc__Url"] = $"http://127.0.0.1:{GrpcPort}";
    }

    /// <summary>The h2c port of the service's gRPC endpoint.</summary>
    public int GrpcPort { get; } = FreePort.Next();

    public ServiceProcess Process { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() => (Process, Database) = await ServiceProcess.StartWithDatabaseAsync("CrisisCapacity", _environment);

    public async Task DisposeAsync()
    {
        await Process.DisposeAsync();
        await Database.DisposeAsync();
    }

    public HttpClient Client(string[] roles, string? region = null, string user = "officer-1") =>
        Process.CreateClient(TestTokens.Create(new TokenRequest { Roles = roles, Region = region, Client = "test-client", User = user }));

    public HttpClient Manager() => Client(["crisis.manage"]);

    /// <summary>Registers a facility; beds as (category, total, outOfService).</summary>
    public async Task<Guid> CreateFacilityAsync(string region, double lat, double lon, (string Category, int Total, int OutOfService)[] beds,
        string? address = null, bool acceptsChildren = true, bool accessible = false)
    {
        using var client = Manager();
        var body = new
        {
            kind = "crisis_centre_state",
            name = $"Test centre {Guid.NewGuid():N}",
            region,
            settlement = "Test settlement",
            latitude = lat,
            longitude = lon,
            confidentialAddress = address ?? $"Secret street {Guid.NewGuid():N}",
            phone = "+7 700 000 00 00",
            services = new { psychologist = true, lawyer = true, medicalCare = false, acceptsChildren, accessible },
            openAtNight = true,
            beds = beds.Select(b => new { category = b.Category, total = b.Total, outOfService = b.OutOfService }).ToArray(),
        };
        using var response = await client.PostAsJsonAsync("/api/crisis/facilities", body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    public static async Task<HttpResponseMessage> ReserveAsync(HttpClient client, Guid facility, string category, int beds = 1, string? key = null, string? caseCode = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/crisis/reservations")
        {
            Content = JsonContent.Create(new { facilityId = facility, category, caseCode = caseCode ?? NewCaseCode(), beds }),
        };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    /// <summary>Admits a person without a hold (POST /placements).</summary>
    public static async Task<HttpResponseMessage> AdmitAsync(HttpClient client, Guid facility, string category, int[]? childrenAges = null, string? key = null, string? caseCode = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/crisis/placements")
        {
            Content = JsonContent.Create(new { facilityId = facility, category, caseCode = caseCode ?? NewCaseCode(), childrenAges = childrenAges ?? [] }),
        };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    public static async Task<Guid> IdOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

    public static string NewCaseCode() => $"CC-2026-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";

    /// <summary>The facility's availability row for a category, as a manager sees it.</summary>
    public async Task<JsonObject> AvailabilityAsync(Guid facility, string category)
    {
        using var client = Manager();
        var body = (await client.GetFromJsonAsync<JsonObject>($"/api/crisis/facilities/{facility}"))!;
        return body["availability"]!.AsArray().Select(a => a!.AsObject()).Single(a => a["category"]!.GetValue<string>() == category);
    }

    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }
}

/// <summary>A service whose holds last one second and are swept every second.</summary>
public sealed class ShortHoldCrisisService() : CrisisService(new()
{
    ["Crisis__ReservationHold"] = "00:00:01",
    ["Crisis__SweepInterval"] = "00:00:01",
});

[CollectionDefinition(Name)]
public sealed class CrisisCollection : ICollectionFixture<CrisisService>
{
    public const string Name = "crisis-capacity";
}
