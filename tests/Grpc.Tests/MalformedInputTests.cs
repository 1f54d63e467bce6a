using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.Grpc.Tests.Infrastructure;
using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests;

/// <summary>
/// Input no well-behaved client sends, by hand over h2c to the real Cameras service: each gets grpc-dotnet's answer, and
/// the process keeps serving without growing.
/// </summary>
public sealed class MalformedInputTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    private const string FindNear = "/publicsafety.cameras.v1.CameraDirectory/FindCamerasNear";
    private static readonly FindCamerasNearRequest Valid = new() { Latitude = 43.2567, Longitude = 76.9286, RadiusMeters = 500 };

    private static Dictionary<string, string> Auth(Dictionary<string, string>? extra = null)
    {
        var headers = new Dictionary<string, string> { ["authorization"] = $"Bearer {TestTokens.For("cameras.read")}" };
        foreach (var (k, v) in extra ?? [])
        {
            headers[k] = v;
        }

        return headers;
    }

    private async Task<RawResponse> Post(byte[] body, string contentType = "application/grpc", Dictionary<string, string>? headers = null)
    {
        using var client = RawGrpc.CreateClient(cameras.GrpcUri);
        return await RawGrpc.PostAsync(client, FindNear, body, contentType, Auth(headers));
    }

    [Fact]
    public async Task AValidHandMadeCallSucceeds()
    {
        var response = await Post(RawGrpc.Frame(Valid));

        Assert.Equal((HttpStatusCode.OK, "0"), (response.HttpStatus, response.GrpcStatus));
        Assert.True(response.BodyLength > 5);
    }

    [Fact]
    public async Task ATruncatedFrameHeaderIsAnIncompleteMessage()
    {
        var response = await Post([0, 0, 0]);

        Assert.Equal((HttpStatusCode.OK, "13", "Incomplete message."), (response.HttpStatus, response.GrpcStatus, response.GrpcMessage));
        Assert.Equal(0, response.BodyLength);
    }

    [Fact]
    public async Task ALengthPrefixLargerThanTheBodyIsAnIncompleteMessage()
    {
        var payload = Valid.ToByteArray();

        var response = await Post(RawGrpc.Frame(payload, declaredLength: payload.Length + 100));

        Assert.Equal(("13", "Incomplete message."), (response.GrpcStatus, response.GrpcMessage));
    }

    [Fact]
    public async Task AnEmptyBodyIsAnIncompleteMessage()
    {
        var response = await Post([]);

        Assert.Equal(("13", "Incomplete message."), (response.GrpcStatus, response.GrpcMessage));
    }

    [Fact]
    public async Task AFrameOverTheSizeLimitIsRefusedFromItsHeaderAlone()
    {
        // Only the header: the server must not wait for (or buffer) the 64 MiB it announces.
        var response = await Post(RawGrpc.Frame([], declaredLength: 64 * 1024 * 1024));

        Assert.Equal(("8", "Received message exceeds the maximum configured message size."), (response.GrpcStatus, response.GrpcMessage));
    }

    [Fact]
    public async Task AWrongContentTypeIs415WithAGrpcStatus()
    {
        var response = await Post(RawGrpc.Frame(Valid), "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.HttpStatus);
        Assert.Equal(("13", "Content-Type 'application/json' is not supported."), (response.GrpcStatus, response.GrpcMessage));
    }

    [Fact]
    public async Task ACompressedFlagWithoutGrpcEncodingIsInternal()
    {
        var response = await Post(RawGrpc.Frame(Valid, compressedFlag: true));

        Assert.Equal(("13", "Request did not include grpc-encoding value with compressed message."), (response.GrpcStatus, response.GrpcMessage));
    }

    [Fact]
    public async Task ACompressedFlagWithIdentityEncodingIsInternal()
    {
        var response = await Post(RawGrpc.Frame(Valid, compressedFlag: true), headers: new() { ["grpc-encoding"] = "identity" });

        Assert.Equal(("13", "Request sent 'identity' grpc-encoding value with compressed message."), (response.GrpcStatus, response.GrpcMessage));
    }

    [Fact]
    public async Task AnUnsupportedEncodingIsUnimplementedNamingTheSupportedOnes()
    {
        var response = await Post(RawGrpc.Frame(Valid, compressedFlag: true), headers: new() { ["grpc-encoding"] = "br" });

        Assert.Equal(("12", "Unsupported grpc-encoding value 'br'. Supported encodings: identity, gzip, deflate"), (response.GrpcStatus, response.GrpcMessage));
    }

    [Fact]
    public async Task AGzipCompressedRequestIsAccepted()
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            Valid.WriteTo(gzip);
        }

        var response = await Post(RawGrpc.Frame(compressed.ToArray(), compressedFlag: true), headers: new() { ["grpc-encoding"] = "gzip" });

        Assert.Equal("0", response.GrpcStatus);
    }

    [Fact]
    public async Task BytesThatAreNotTheMessageAreUnknownWithoutDetail()
    {
        // grpc-dotnet's answer to a parser exception: its fixed text, not the parser's message.
        var response = await Post(RawGrpc.Frame([0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));

        Assert.Equal(("2", "Exception was thrown by handler."), (response.GrpcStatus, response.GrpcMessage));
    }

    [Fact]
    public async Task TwoMessagesInAUnaryCallAreInternal()
    {
        var response = await Post([.. RawGrpc.Frame(Valid), .. RawGrpc.Frame(Valid)]);

        Assert.Equal(("13", "Additional data after the message received."), (response.GrpcStatus, response.GrpcMessage));
    }

    [Fact]
    public async Task AnInvalidCompressedFlagValueIsRefused()
    {
        var frame = RawGrpc.Frame(Valid);
        frame[0] = 7;

        var response = await Post(frame);

        Assert.Equal(("2", "Exception was thrown by handler."), (response.GrpcStatus, response.GrpcMessage));
    }

    [Fact]
    public async Task RestOnTheGrpcEndpointAndGrpcOnTheRestEndpointAreNotServed()
    {
        using var grpcPort = RawGrpc.CreateClient(cameras.GrpcUri);
        using var restOnGrpc = await grpcPort.GetAsync("/api/cameras/me");
        using var rest = cameras.Service.CreateClient(TestTokens.For("cameras.read"));
        using var grpcOnRest = await rest.PostAsync(FindNear, new ByteArrayContent(RawGrpc.Frame(Valid))
        {
            Headers = { ContentType = new("application/grpc") },
        });

        using var unmappedRest = await rest.GetAsync("/api/unmapped");

        Assert.NotEqual(HttpStatusCode.OK, restOnGrpc.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, grpcOnRest.StatusCode);
        // The gRPC routes (two segments, POST) must not turn a REST 404 into a 405.
        Assert.Equal(HttpStatusCode.NotFound, unmappedRest.StatusCode);
    }

    [Fact]
    public async Task ALoopOfBadRequestsLeavesTheServiceServingWithStableMemoryAndHandles()
    {
        byte[][] bad =
        [
            [0, 0, 0],
            RawGrpc.Frame(Valid.ToByteArray(), declaredLength: 1000),
            RawGrpc.Frame([], declaredLength: 64 * 1024 * 1024),
            RawGrpc.Frame(Valid, compressedFlag: true),
            RawGrpc.Frame([0xFF, 0xFF, 0xFF]),
        ];
        using var client = RawGrpc.CreateClient(cameras.GrpcUri);
        async Task Round(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var response = await RawGrpc.PostAsync(client, FindNear, bad[i % bad.Length], headers: Auth());
                Assert.NotEqual("0", response.GrpcStatus);
            }
        }

        await Round(200); // warm-up: JIT, pools
        var (rssBefore, fdsBefore) = ProcessUsage(cameras.Service.ProcessId);
        await Round(1000);
        var (rssAfter, fdsAfter) = ProcessUsage(cameras.Service.ProcessId);
        var ok = await RawGrpc.PostAsync(client, FindNear, RawGrpc.Frame(Valid), headers: Auth());

        Assert.False(cameras.Service.HasExited);
        Assert.Equal("0", ok.GrpcStatus);
        Assert.True(fdsAfter - fdsBefore < 20, $"file descriptors {fdsBefore} -> {fdsAfter}");
        Assert.True(rssAfter - rssBefore < 64L * 1024 * 1024, $"RSS {rssBefore / 1024 / 1024} MiB -> {rssAfter / 1024 / 1024} MiB");
    }

    private static (long Rss, int Fds) ProcessUsage(int pid)
    {
        var rssKb = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return (long.Parse(rssKb, System.Globalization.CultureInfo.InvariantCulture) * 1024, Directory.GetFiles($"/proc/{pid}/fd").Length);
    }
}
