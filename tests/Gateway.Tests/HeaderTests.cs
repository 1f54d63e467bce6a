using System.Net;
using PublicSafety.Gateway.Tests.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.Testing;

namespace PublicSafety.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public class HeaderTests(GatewayFixture gateway)
{
    private static readonly string[] SpoofedIdentityHeaders =
    [
        "X-Forwarded-User", "X-Forwarded-Email", "X-Forwarded-Groups", "X-Forwarded-Preferred-Username", "X-Remote-User",
        "X-User", "X-User-Id", "X-Roles", "X-Region", "X-Client-Id", "X-Authenticated-User", "X-Auth-Request-Email",
        "X-PublicSafety-Roles", "X-Original-User", "X-Real-IP", "Forwarded",
    ];

    [Fact]
    public async Task SpoofedIdentityHeadersNeverReachAService()
    {
        using var client = gateway.CreateClient(TestTokens.For(Roles.CamerasRead));
        var (request, testId) = Requests.Marked(HttpMethod.Get, "/api/cameras/list");
        foreach (var name in SpoofedIdentityHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, "platform.operator");
        }

        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.66");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(gateway.Cameras.ReceivedBy(testId));
        Assert.All(SpoofedIdentityHeaders, name => Assert.Null(received.Header(name)));
        Assert.DoesNotContain(received.Headers.Values, value => value.Contains("platform.operator"));
        // The gateway's own view of the client replaces what the client claimed.
        Assert.Equal("127.0.0.1", received.Header("X-Forwarded-For"));
        Assert.Equal("http", received.Header("X-Forwarded-Proto"));
        Assert.Equal(gateway.Gateway.BaseAddress.Authority, received.Header("X-Forwarded-Host"));
    }

    [Fact]
    public async Task AValidCorrelationIdIsEchoedAndForwarded()
    {
        using var client = gateway.CreateClient(TestTokens.For(Roles.CamerasRead));
        var (request, testId) = Requests.Marked(HttpMethod.Get, "/api/cameras/list");
        request.Headers.Add("X-Correlation-Id", "akimat-42.req_7");

        using var response = await client.SendAsync(request);

        Assert.Equal("akimat-42.req_7", response.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Equal("akimat-42.req_7", Assert.Single(gateway.Cameras.ReceivedBy(testId)).Header("X-Correlation-Id"));
    }

    [Theory]
    [InlineData("has spaces")]
    [InlineData("<script>")]
    [InlineData("a-correlation-id-that-is-much-too-long-to-be-accepted-by-the-gateway-0123456789")]
    public async Task AnInvalidCorrelationIdIsReplacedByTheTraceIdOfTheTraceParent(string invalid)
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var client = gateway.CreateClient(TestTokens.For(Roles.CamerasRead));
        var (request, testId) = Requests.Marked(HttpMethod.Get, "/api/cameras/list");
        request.Headers.TryAddWithoutValidation("X-Correlation-Id", invalid);
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        using var response = await client.SendAsync(request);

        Assert.Equal(traceId, response.Headers.GetValues("X-Correlation-Id").Single());
        var received = Assert.Single(gateway.Cameras.ReceivedBy(testId));
        Assert.Equal(traceId, received.Header("X-Correlation-Id"));
    }

    [Fact]
    public async Task TheW3CTraceContextContinuesToTheService()
    {
        const string traceId = "0af7651916cd43dd8448eb211c80319c";
        const string callerSpan = "b7ad6b7169203331";
        using var client = gateway.CreateClient(TestTokens.For(Roles.CamerasRead));
        var (request, testId) = Requests.Marked(HttpMethod.Get, "/api/cameras/list");
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpan}-01");

        using var response = await client.SendAsync(request);

        var traceparent = Assert.Single(gateway.Cameras.ReceivedBy(testId)).Header("traceparent");
        Assert.NotNull(traceparent);
        var parts = traceparent.Split('-');
        Assert.Equal(traceId, parts[1]);
        // The gateway's own span sits between the caller and the service.
        Assert.NotEqual(callerSpan, parts[2]);
    }

    [Fact]
    public async Task ProxiedResponsesCarrySecurityHeadersAndNoServerIdentification()
    {
        using var client = gateway.CreateClient(TestTokens.For(Roles.CamerasRead));

        using var response = await client.GetAsync("/api/cameras/list");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecurityHeaders(response);
        Assert.False(response.Headers.Contains("Server"));
        Assert.False(response.Headers.Contains("X-Powered-By"));
    }

    [Theory]
    [InlineData("/api/cameras/list")]
    [InlineData("/")]
    [InlineData("/no/such/route")]
    public async Task EveryResponseOfTheGatewayItselfCarriesSecurityHeadersAndACorrelationId(string path)
    {
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync(path);

        AssertSecurityHeaders(response);
        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues("X-Correlation-Id").Single());
    }

    private static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        // Plain HTTP here; Strict-Transport-Security is only sent over HTTPS.
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }
}
