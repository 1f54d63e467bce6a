using System.Net;
using PublicSafety.Gateway.Tests.Infrastructure;
using PublicSafety.Testing;

namespace PublicSafety.Gateway.Tests;

/// <summary>A gateway behind a trusted ingress (this test client, on loopback), with one anonymous request per address an hour.</summary>
public sealed class GatewayBehindIngress : IAsyncLifetime
{
    public RecordingServer Feedback { get; private set; } = null!;

    public ServiceProcess Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Feedback = await RecordingServer.StartAsync();
        Gateway = await ServiceProcess.StartReadyAsync("Gateway", new Dictionary<string, string?>
        {
            ["services__feedback__http__0"] = Feedback.Http.ToString(),
            ["Gateway__TrustedProxies__0"] = "127.0.0.0/8",
            ["Gateway__RateLimits__Anonymous__Burst"] = "1",
            ["Gateway__RateLimits__Anonymous__PermitsPerWindow"] = "1",
            ["Gateway__RateLimits__Anonymous__Window"] = "01:00:00",
        });
    }

    public Task DisposeAsync() => GatewayFixture.DisposeAllAsync(Gateway, Feedback);
}

public class TrustedProxyTests(GatewayBehindIngress gateway) : IClassFixture<GatewayBehindIngress>
{
    [Fact]
    public async Task BehindATrustedIngressEachCitizenHasAnAnonymousLimitOfTheirOwn()
    {
        using var client = gateway.Gateway.CreateClient();

        using var first = await Public(client, "203.0.113.7");
        using var again = await Public(client, "203.0.113.7");
        using var neighbour = await Public(client, "203.0.113.8");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await Problems.AssertProblemAsync(again, HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, neighbour.StatusCode);
    }

    [Fact]
    public async Task AnIPv6CallerHasOneAnonymousLimitForItsWholeSlash64()
    {
        using var client = gateway.Gateway.CreateClient();

        // A client picks any of the 2^64 addresses of its network at will: a fresh address must not be a fresh limit.
        using var first = await Public(client, "2001:db8:17:1::1");
        using var sameNetwork = await Public(client, "2001:db8:17:1:ffff:ffff:ffff:fffe");
        using var otherNetwork = await Public(client, "2001:db8:17:2::1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await Problems.AssertProblemAsync(sameNetwork, HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, otherNetwork.StatusCode);
    }

    [Fact]
    public async Task OnlyTheAddressTheIngressAppendedCountsAndTheServiceSeesIt()
    {
        using var client = gateway.Gateway.CreateClient();

        // The citizen claimed 198.51.100.1; the ingress appended the address it saw.
        var (request, testId) = Requests.Marked(HttpMethod.Get, "/api/feedback/public/venues");
        request.Headers.Add("X-Forwarded-For", "198.51.100.1, 203.0.113.20");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(gateway.Feedback.ReceivedBy(testId));
        Assert.Equal("203.0.113.20", received.Header("X-Forwarded-For"));
    }

    private static Task<HttpResponseMessage> Public(HttpClient client, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/feedback/public/venues");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }
}
