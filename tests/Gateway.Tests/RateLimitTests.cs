using System.Net;
using PublicSafety.DevToken;
using PublicSafety.Gateway.Tests.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.Testing;

namespace PublicSafety.Gateway.Tests;

/// <summary>A gateway of its own with tiny limits (refilled once an hour), so the counts are exact.</summary>
public sealed class RateLimitedGateway : IAsyncLifetime
{
    public const int PerClientBurst = 3;
    public const int AnonymousBurst = 1;

    public RecordingServer Feedback { get; private set; } = null!;

    public ServiceProcess Gateway { get; private set; } = null!;

    public Uri GrpcEndpoint { get; } = new($"http://127.0.0.1:{FreePort.Next()}");

    public async Task InitializeAsync()
    {
        Feedback = await RecordingServer.StartAsync();
        Gateway = await ServiceProcess.StartReadyAsync("Gateway", new Dictionary<string, string?>
        {
            ["services__feedback__http__0"] = Feedback.Http.ToString(),
            ["services__feedback__grpc__0"] = Feedback.H2c.ToString(),
            ["Gateway__GrpcUrl"] = GrpcEndpoint.ToString(),
            ["Gateway__RateLimits__PerClient__Burst"] = PerClientBurst.ToString(),
            ["Gateway__RateLimits__PerClient__PermitsPerWindow"] = "1",
            ["Gateway__RateLimits__PerClient__Window"] = "01:00:00",
            ["Gateway__RateLimits__Anonymous__Burst"] = AnonymousBurst.ToString(),
            ["Gateway__RateLimits__Anonymous__PermitsPerWindow"] = "1",
            ["Gateway__RateLimits__Anonymous__Window"] = "01:00:00",
        });
    }

    public Task DisposeAsync() => GatewayFixture.DisposeAllAsync(Gateway, Feedback);
}

public class RateLimitTests(RateLimitedGateway gateway) : IClassFixture<RateLimitedGateway>
{
    [Fact]
    public async Task PastItsLimitAClientGets429ProblemWithRetryAfterWhileOtherClientsGoOn()
    {
        using var greedy = gateway.Gateway.CreateClient(Token("greedy-client"));
        using var other = gateway.Gateway.CreateClient(Token("other-client"));

        for (var i = 0; i < RateLimitedGateway.PerClientBurst; i++)
        {
            using var allowed = await greedy.GetAsync("/api/feedback/items");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var (request, testId) = Requests.Marked(HttpMethod.Get, "/api/feedback/items");
        using var limited = await greedy.SendAsync(request);
        using var unaffected = await other.GetAsync("/api/feedback/items");

        await Problems.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Empty(gateway.Feedback.ReceivedBy(testId));
        Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
    }

    [Fact]
    public async Task AnonymousPublicRoutesHaveAStricterLimitPerAddress()
    {
        using var client = gateway.Gateway.CreateClient();

        // One anonymous request per address here, against three per client on authenticated routes.
        using var allowed = await client.GetAsync("/api/feedback/public/venues");
        using var limited = await client.GetAsync("/api/feedback/public/venues");

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        await Problems.AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task PastItsLimitAGrpcClientGetsResourceExhausted()
    {
        using var client = new HttpClient { BaseAddress = gateway.GrpcEndpoint, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Token("greedy-grpc-client"));

        for (var i = 0; i < RateLimitedGateway.PerClientBurst; i++)
        {
            using var allowed = await client.SendAsync(GrpcCall().Request);
            await allowed.Content.ReadAsByteArrayAsync();
            Assert.Equal("0", allowed.TrailingHeaders.GetValues("grpc-status").Single());
        }

        var (request, testId) = GrpcCall();
        using var limited = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        Assert.Equal("8", limited.Headers.GetValues("grpc-status").Single());
        Assert.Empty(gateway.Feedback.ReceivedBy(testId));
    }

    private static (HttpRequestMessage Request, string TestId) GrpcCall()
    {
        var (request, testId) = Requests.Marked(HttpMethod.Post, "/publicsafety.feedback.v1.Survey/Submit");
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        request.Content = new ByteArrayContent(new byte[5]);
        request.Content.Headers.ContentType = new("application/grpc");
        return (request, testId);
    }

    private static string Token(string client) => TestTokens.Create(new TokenRequest { Client = client, Roles = [Roles.FeedbackRead] });
}
