using System.Net;
using System.Net.Http.Json;
using PublicSafety.DevToken;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.Testing;

namespace PublicSafety.ServiceDefaults.Tests;

/// <summary>A service validates tokens itself (DESIGN §3), whatever the gateway did.</summary>
public class AuthenticationTests : IAsyncLifetime
{
    private ServiceProcess _service = null!;
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => (_service, _database) = await ServiceProcess.StartWithDatabaseAsync("Feedback");

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task KeycloakRolesAndRegionReachTheService()
    {
        using var client = _service.CreateClient(TestTokens.Create(new TokenRequest
        {
            Client = "police-duty-unit", User = "duty.officer", Region = "KZ-75", Roles = ["feedback.read", "crisis.read"],
        }));

        var caller = await client.GetFromJsonAsync<CallerInfo>("/api/feedback/me");

        Assert.NotNull(caller);
        Assert.Equal("police-duty-unit", caller.Client);
        Assert.Equal("duty.officer", caller.User);
        Assert.Equal("KZ-75", caller.Region);
        Assert.Equal(["crisis.read", "feedback.read"], caller.Roles);
    }

    [Fact]
    public async Task AnEndpointWithoutAnExplicitPolicyStillNeedsAToken()
    {
        using var client = _service.CreateClient();

        using var response = await client.GetAsync("/api/feedback/anything-not-mapped");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ATokenWithoutTheServicesRoleIsForbiddenWithAProblem()
    {
        using var client = _service.CreateClient(TestTokens.For("cameras.read"));

        using var response = await client.GetAsync("/api/feedback/me");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ATokenWithNeitherARegionNorNationalScopeGetsNothing()
    {
        // A user created without the region attribute: every role, no scope. It used to be read as national.
        using var client = _service.CreateClient(TestTokens.Create(new TokenRequest
        {
            Roles = ["feedback.read", "feedback.manage", "feedback.ingest"], National = false,
        }));

        using var me = await client.GetAsync("/api/feedback/me");
        using var list = await client.GetAsync("/api/feedback/complaints");

        Assert.Equal(HttpStatusCode.Forbidden, me.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal("application/problem+json", list.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task NationalScopeIsTheExplicitRoleAndARegionClaimNarrowsIt()
    {
        using var national = _service.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["feedback.read"] }));
        using var regional = _service.CreateClient(TestTokens.Create(new TokenRequest
        {
            Roles = ["feedback.read", Roles.PlatformNational], Region = "kz-71",
        }));

        var nationalCaller = await national.GetFromJsonAsync<CallerInfo>("/api/feedback/me");
        var regionalCaller = await regional.GetFromJsonAsync<CallerInfo>("/api/feedback/me");

        Assert.Null(nationalCaller!.Region);
        Assert.Contains(Roles.PlatformNational, nationalCaller.Roles);
        Assert.Equal("KZ-71", regionalCaller!.Region);
    }

    [Fact]
    public async Task ARegionThatIsNotAKazakhRegionCodeIsRefused()
    {
        using var client = _service.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["feedback.read"], Region = "RU-MOW" }));

        using var response = await client.GetAsync("/api/feedback/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ProductionConfigurationRejectsTheDevelopmentKey()
    {
        // Same binary, same key file configured, but not Development: only the realm's JWKS may be trusted,
        // and this realm does not exist, so nothing validates.
        var authority = $"http://127.0.0.1:{FreePort.Next()}/realms/public-safety";
        var environment = ServiceProcess.EnvironmentFor("Feedback", _database.ConnectionString);
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["Keycloak__Authority"] = authority;
        environment["Keycloak__RequireHttpsMetadata"] = "false";
        await using var production = await ServiceProcess.StartReadyAsync("Feedback", environment);
        var token = TestTokens.Create(new TokenRequest { Issuer = authority, Roles = ["feedback.read"] });

        using var client = production.CreateClient(token);
        using var response = await client.GetAsync("/api/feedback/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var development = _service.CreateClient(TestTokens.For("feedback.read"));
        Assert.Equal(HttpStatusCode.OK, (await development.GetAsync("/api/feedback/me")).StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentIsPublic()
    {
        using var client = _service.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/api/feedback/me", await response.Content.ReadAsStringAsync());
    }
}
