using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PublicSafety.DevToken;
using PublicSafety.Gateway.Tests.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.Testing;

namespace PublicSafety.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public class RoutingTests(GatewayFixture gateway)
{
    private const string GrpcPath = "/publicsafety.cameras.v1.CameraDirectory/FindCamerasNear";

    [Fact]
    public async Task AGrpcCallIsForwardedOverHttp2ToTheServicesGrpcEndpointWithItsPathIntact()
    {
        using var client = gateway.CreateGrpcClient(TestTokens.For(Roles.CamerasRead));
        var (request, testId) = GrpcRequest([1, 2, 3]);
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        var received = Assert.Single(gateway.Cameras.ReceivedBy(testId));
        Assert.Equal("HTTP/2", received.Protocol);
        Assert.Equal(GrpcPath, received.Path);
        Assert.Equal("application/grpc", received.Header("Content-Type"));
        Assert.Equal(8, received.BodyLength);
        await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
    }

    [Fact]
    public async Task AGrpcCallWithoutTheServicesRoleIsPermissionDeniedAndNotForwarded()
    {
        using var client = gateway.CreateGrpcClient(TestTokens.For(Roles.FeedbackRead));
        var (request, testId) = GrpcRequest([1]);

        using var response = await client.SendAsync(request);

        // Trailers-only, as gRPC clients expect: HTTP 200 and the status in the headers, no problem+json body.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("grpc-status").Single());
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(gateway.Cameras.ReceivedBy(testId));
    }

    [Fact]
    public async Task AGrpcCallWithTheRoleButNoScopeIsPermissionDeniedAndNotForwarded()
    {
        using var client = gateway.CreateGrpcClient(TestTokens.Create(new TokenRequest { Roles = [Roles.CamerasRead], National = false }));
        var (request, testId) = GrpcRequest([1]);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("grpc-status").Single());
        Assert.Empty(gateway.Cameras.ReceivedBy(testId));
    }

    [Fact]
    public async Task AGrpcCallWithoutATokenIsUnauthenticated()
    {
        using var client = gateway.CreateGrpcClient();
        var (request, testId) = GrpcRequest([1]);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("16", response.Headers.GetValues("grpc-status").Single());
        Assert.Empty(gateway.Cameras.ReceivedBy(testId));
    }

    [Fact]
    public async Task TheGatewayAnswersTheGrpcHealthCheckItselfWithoutAToken()
    {
        using var client = gateway.CreateGrpcClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/grpc.health.v1.Health/Check")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            // An empty HealthCheckRequest (the whole server), length-prefixed.
            Content = new ByteArrayContent(new byte[5]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", response.TrailingHeaders.GetValues("grpc-status").Single());
        // One message of two bytes: field 1 (status) = 1, SERVING.
        Assert.Equal(new byte[] { 0, 0, 0, 0, 2, 0x08, 0x01 }, body);
    }

    [Fact]
    public async Task AServiceWithoutAConfiguredDestinationIsLeftOut()
    {
        using var client = gateway.CreateClient(TestTokens.For(Roles.CrisisRead));

        using var response = await client.GetAsync("/api/crisis/me");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TheLandingDocumentListsTheRoutesOfTheConfiguredServicesAnonymously()
    {
        using var client = gateway.CreateClient();

        using var landing = await client.GetFromJsonAsync<JsonDocument>("/");

        var routes = landing!.RootElement.GetProperty("routes").EnumerateArray()
            .Select(r => (Path: r.GetProperty("path").GetString(), Kind: r.GetProperty("kind").GetString(), Policy: r.GetProperty("policy").GetString(),
                Service: r.GetProperty("service").GetString(), RateLimit: r.GetProperty("rateLimit").GetString()))
            .ToArray();
        Assert.Contains(("/api/feedback/{**rest}", "rest", "feedback.*", "feedback"), routes.Select(r => (r.Path, r.Kind, r.Policy, r.Service)));
        Assert.Contains(("/api/feedback/public/{**rest}", "public", "anonymous", "feedback"), routes.Select(r => (r.Path, r.Kind, r.Policy, r.Service)));
        Assert.Contains(("/publicsafety.cameras.v1.{service}/{method}", "grpc", "cameras.*", "cameras"), routes.Select(r => (r.Path, r.Kind, r.Policy, r.Service)));
        Assert.DoesNotContain(routes, r => r.Service == "crisis-capacity");
        Assert.All(routes, r => Assert.False(string.IsNullOrEmpty(r.RateLimit)));
        var openApi = landing.RootElement.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("openApi").GetString());
        Assert.Contains("/openapi/feedback/v1.json", openApi);
    }

    [Fact]
    public async Task AServicesOpenApiDocumentIsReachableThroughTheGatewayWithoutAToken()
    {
        using var client = gateway.CreateClient();

        using var document = await client.GetFromJsonAsync<JsonDocument>("/openapi/feedback/v1.json");

        Assert.StartsWith("3.", document!.RootElement.GetProperty("openapi").GetString());
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/api/feedback/me", out _));
    }

    [Fact]
    public async Task TheOpenApiRouteRewritesThePathToWhereTheServiceServesIt()
    {
        using var client = gateway.CreateClient();
        var (request, testId) = Requests.Marked(HttpMethod.Get, "/openapi/cameras/v1.json");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/openapi/v1.json", Assert.Single(gateway.Cameras.ReceivedBy(testId)).Path);
    }

    [Fact]
    public async Task TheGatewayPublishesItsOwnOpenApiDocument()
    {
        using var client = gateway.CreateClient();

        using var document = await client.GetFromJsonAsync<JsonDocument>("/openapi/v1.json");

        Assert.True(document!.RootElement.GetProperty("paths").TryGetProperty("/gateway/destinations", out _));
    }

    /// <summary>A unary gRPC request over h2c with one length-prefixed message: no compression flag, a big-endian length, the bytes.</summary>
    private static (HttpRequestMessage Request, string TestId) GrpcRequest(byte[] payload)
    {
        var framed = new byte[5 + payload.Length];
        framed[4] = (byte)payload.Length;
        payload.CopyTo(framed, 5);
        var (request, testId) = Requests.Marked(HttpMethod.Post, GrpcPath);
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        request.Content = new ByteArrayContent(framed);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        return (request, testId);
    }
}
