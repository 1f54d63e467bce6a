using System.Net;
using PublicSafety.Gateway.Tests.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.Testing;

namespace PublicSafety.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public class RequestLimitTests(GatewayFixture gateway)
{
    [Fact]
    public async Task ABodyDeclaredLargerThanTheLimitIsRefusedWith413ProblemAndNotForwarded()
    {
        using var client = gateway.CreateClient(TestTokens.For(Roles.CamerasManage));
        var (request, testId) = Requests.Marked(HttpMethod.Post, "/api/cameras/cameras");
        request.Content = new ByteArrayContent(new byte[GatewayFixture.MaxRequestBodyBytes + 1]);

        using var response = await client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(gateway.Cameras.ReceivedBy(testId));
    }

    [Fact]
    public async Task AStreamedBodyThatGrowsPastTheLimitIsRefusedWith413Problem()
    {
        using var client = gateway.CreateClient(TestTokens.For(Roles.CamerasManage));
        var (request, _) = Requests.Marked(HttpMethod.Post, "/api/cameras/cameras");
        // No Content-Length: the body is sent chunked, so only reading it reveals its size.
        request.Content = new StreamContent(new UnseekableStream(new byte[GatewayFixture.MaxRequestBodyBytes * 4]));

        using var response = await client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task ABodyWithinTheLimitIsForwardedWhole()
    {
        using var client = gateway.CreateClient(TestTokens.For(Roles.CamerasManage));
        var (request, testId) = Requests.Marked(HttpMethod.Post, "/api/cameras/cameras");
        request.Content = new ByteArrayContent(new byte[GatewayFixture.MaxRequestBodyBytes]);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GatewayFixture.MaxRequestBodyBytes, Assert.Single(gateway.Cameras.ReceivedBy(testId)).BodyLength);
    }

    [Theory]
    [InlineData("/api/cameras/import")]
    [InlineData("/API/Cameras/Import/")]
    public async Task ABulkPathTakesItsOwnLargerLimit(string path)
    {
        using var client = gateway.CreateClient(TestTokens.For(Roles.CamerasManage));
        var (within, withinId) = Requests.Marked(HttpMethod.Post, path);
        within.Content = new ByteArrayContent(new byte[GatewayFixture.ImportBodyBytes]);
        using var accepted = await client.SendAsync(within);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(GatewayFixture.ImportBodyBytes, Assert.Single(gateway.Cameras.ReceivedBy(withinId)).BodyLength);

        var (declared, declaredId) = Requests.Marked(HttpMethod.Post, path);
        declared.Content = new ByteArrayContent(new byte[GatewayFixture.ImportBodyBytes + 1]);
        using var refused = await client.SendAsync(declared);
        var problem = await Problems.AssertProblemAsync(refused, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains(GatewayFixture.ImportBodyBytes.ToString(), problem.Detail);
        Assert.Empty(gateway.Cameras.ReceivedBy(declaredId));

        // Chunked: the raised limit is the one Kestrel holds the stream to, not the default.
        var (streamed, _) = Requests.Marked(HttpMethod.Post, path);
        streamed.Content = new StreamContent(new UnseekableStream(new byte[GatewayFixture.ImportBodyBytes * 2]));
        using var streamedTooLarge = await client.SendAsync(streamed);
        await Problems.AssertProblemAsync(streamedTooLarge, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task AStreamedBodyOnAnotherPathIsHeldToTheDefaultEvenThoughKestrelAllowsMore()
    {
        using var client = gateway.CreateClient(TestTokens.For(Roles.CamerasManage));
        var (request, _) = Requests.Marked(HttpMethod.Post, "/api/cameras/cameras");
        request.Content = new StreamContent(new UnseekableStream(new byte[GatewayFixture.MaxRequestBodyBytes + 1]));

        using var response = await client.SendAsync(request);

        await Problems.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task AnOversizedGrpcCallOverHttp2IsRefusedAsResourceExhausted()
    {
        using var client = gateway.CreateGrpcClient(TestTokens.For(Roles.CamerasManage));
        var (request, testId) = Requests.Marked(HttpMethod.Post, "/publicsafety.cameras.v1.CameraDirectory/ImportCameras");
        request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        request.Content = new ByteArrayContent(new byte[GatewayFixture.MaxRequestBodyBytes + 1]);
        request.Content.Headers.ContentType = new("application/grpc");

        using var response = await client.SendAsync(request);

        // Trailers-only, as a gRPC client expects: RESOURCE_EXHAUSTED.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("8", response.Headers.GetValues("grpc-status").Single());
        Assert.Contains("bytes", Uri.UnescapeDataString(response.Headers.GetValues("grpc-message").Single()));
        Assert.Empty(gateway.Cameras.ReceivedBy(testId));
    }

    [Fact]
    public async Task TooManyRequestHeadersAreRefused()
    {
        using var client = gateway.CreateClient(TestTokens.For(Roles.CamerasRead));
        var (request, testId) = Requests.Marked(HttpMethod.Get, "/api/cameras/list");
        for (var i = 0; i < 100; i++)
        {
            request.Headers.Add($"X-Filler-{i}", "x");
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Empty(gateway.Cameras.ReceivedBy(testId));
    }

    /// <summary>Hides its length so that HttpClient cannot send a Content-Length.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
