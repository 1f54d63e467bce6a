using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using PublicSafety.DevToken;
using PublicSafety.Gateway.Tests.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.Testing;

namespace PublicSafety.Gateway.Tests;

public enum TokenFlaw
{
    Expired,
    WrongIssuer,
    WrongAudience,
    SignedByAnotherKey,
    AlgNone,
}

/// <summary>The gateway validates every token and applies the route's policy before anything reaches a service.</summary>
[Collection(GatewayCollection.Name)]
public class AuthenticationTests(GatewayFixture gateway)
{
    private static readonly TokenRequest CamerasReader = new() { Client = "auth-tests", Roles = [Roles.CamerasRead] };

    [Fact]
    public async Task ARequestWithoutATokenIsRefusedWith401Problem()
    {
        using var client = gateway.CreateClient();
        var (request, testId) = Requests.Marked(HttpMethod.Get, "/api/cameras/list");

        using var response = await client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty(gateway.Cameras.ReceivedBy(testId));
    }

    [Theory]
    [InlineData(TokenFlaw.Expired)]
    [InlineData(TokenFlaw.WrongIssuer)]
    [InlineData(TokenFlaw.WrongAudience)]
    [InlineData(TokenFlaw.SignedByAnotherKey)]
    [InlineData(TokenFlaw.AlgNone)]
    public async Task AnInvalidTokenIsRefusedWith401ProblemAndNeverForwarded(TokenFlaw flaw)
    {
        using var client = gateway.CreateClient(FlawedToken(flaw));
        var (request, testId) = Requests.Marked(HttpMethod.Get, "/api/cameras/list");

        using var response = await client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty(gateway.Cameras.ReceivedBy(testId));
    }

    [Fact]
    public async Task AValidTokenWithoutTheRoutesRoleIsForbiddenWith403Problem()
    {
        using var client = gateway.CreateClient(TestTokens.Create(CamerasReader));

        using var response = await client.GetAsync("/api/feedback/me");

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AValidTokenWithTheRoleButNoScopeIsForbiddenWith403AndNeverForwarded()
    {
        // Neither a region nor platform.national: scope is explicit, so the route's policy refuses the token at the gateway.
        using var client = gateway.CreateClient(TestTokens.Create(CamerasReader with { National = false }));
        var (request, testId) = Requests.Marked(HttpMethod.Get, "/api/cameras/list");

        using var response = await client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Empty(gateway.Cameras.ReceivedBy(testId));
    }

    [Fact]
    public async Task ARegionalTokenWithTheRoleReachesTheService()
    {
        using var client = gateway.CreateClient(TestTokens.Create(CamerasReader with { Region = "KZ-71" }));
        var (request, testId) = Requests.Marked(HttpMethod.Get, "/api/cameras/list");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(gateway.Cameras.ReceivedBy(testId));
    }

    [Fact]
    public async Task AValidTokenWithTheRoleReachesTheServiceWhichSeesTheSameCaller()
    {
        using var client = gateway.CreateClient(TestTokens.Create(new TokenRequest
        {
            Client = "police-duty-unit", User = "duty.officer", Region = "KZ-75", Roles = [Roles.FeedbackRead],
        }));

        using var response = await client.GetAsync("/api/feedback/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var caller = await response.Content.ReadFromJsonAsync<CallerInfo>();
        Assert.NotNull(caller);
        Assert.Equal("police-duty-unit", caller.Client);
        Assert.Equal("duty.officer", caller.User);
        Assert.Equal("KZ-75", caller.Region);
        Assert.Equal([Roles.FeedbackRead], caller.Roles);
    }

    [Fact]
    public async Task TheAuthorizationHeaderIsPassedOnSoServicesCanValidateTheTokenThemselves()
    {
        var token = TestTokens.Create(CamerasReader);
        using var client = gateway.CreateClient(token);
        var (request, testId) = Requests.Marked(HttpMethod.Get, "/api/cameras/list");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(gateway.Cameras.ReceivedBy(testId));
        Assert.Equal($"Bearer {token}", received.Header("Authorization"));
    }

    private static string FlawedToken(TokenFlaw flaw) => flaw switch
    {
        // Well past the validator's 30 s clock skew.
        TokenFlaw.Expired => TestTokens.Create(CamerasReader with { Offset = TimeSpan.FromMinutes(-10), Lifetime = TimeSpan.FromMinutes(5) }),
        TokenFlaw.WrongIssuer => TestTokens.Create(CamerasReader with { Issuer = "http://localhost:8180/realms/someone-else" }),
        TokenFlaw.WrongAudience => TestTokens.Create(CamerasReader with { Audience = "another-api" }),
        // Same key id, same claims, a key the gateway has never seen.
        TokenFlaw.SignedByAnotherKey => new DevTokens(RSA.Create(2048)).Create(CamerasReader),
        TokenFlaw.AlgNone => DevTokens.CreateUnsigned(CamerasReader),
        _ => throw new ArgumentOutOfRangeException(nameof(flaw)),
    };
}
