using PublicSafety.DevToken;
using PublicSafety.Grpc.Tests.Infrastructure;
using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests;

/// <summary>
/// grpc-js (the reference) calls a server set up as the services set theirs up (AddGrpcServer: grpc-dotnet with the
/// platform's limits, exception mapping and authorization).
/// </summary>
public sealed class ReferenceClientCallsOurServerTests : IAsyncLifetime
{
    private const string Service = "publicsafety.testing.v1.InteropTest";
    private InteropServer _server = null!;

    public async Task InitializeAsync() => _server = await InteropServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Token => TestTokens.For("cameras.read");

    private static NodeCall Echo(object request) => new NodeCall(Service, "Echo", request).WithToken(Token);

    [Fact]
    public async Task AUnaryCallEchoesThePayloadAndSeesTheMetadata()
    {
        var call = Echo(new { payload = new Dictionary<string, int> { ["$bytes"] = 1000 } }) with
        {
            Metadata = new Dictionary<string, string> { ["authorization"] = $"Bearer {Token}", ["x-custom"] = "hello" },
        };

        var result = (await Node.CallInteropAsync(_server.Address, call)).Single();

        Assert.Equal(0, result.Code);
        var reply = result.Messages.Single()!;
        Assert.Equal(1000, reply["payload"]!["$bytes"]!.GetValue<int>());
        Assert.Equal("hello", reply["custom_header"]!.GetValue<string>());
        Assert.StartsWith("Bearer ", reply["authorization"]!.GetValue<string>());
    }

    [Fact]
    public async Task AServerStreamDeliversEveryMessageInOrderThenOk()
    {
        var call = new NodeCall(Service, "Count", new { count = 25 }).WithToken(TestTokens.For("feedback.read"));

        var result = (await Node.CallInteropAsync(_server.Address, call)).Single();

        Assert.Equal(0, result.Code);
        Assert.Equal(Enumerable.Range(1, 25), result.Messages.Select(m => m!["n"]!.GetValue<int>()));
    }

    [Fact]
    public async Task AnExpiredDeadlineIsDeadlineExceededAndCancelsTheHandler()
    {
        // Long enough that the call reaches the handler even on a loaded machine (connection set-up, first-call JIT):
        // a deadline that expires before then cancels nothing on the server, which is not what this test is about.
        var result = (await Node.CallInteropAsync(_server.Address, Echo(new { delay_ms = 10_000 }) with { DeadlineMs = 1_500 })).Single();

        Assert.Equal(4, result.Code);
        Assert.True(result.ElapsedMs < 5_000, $"took {result.ElapsedMs} ms");
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(_server.Cancellations.Any(c => c.Method == "Echo")), TimeSpan.FromSeconds(30)),
            "the handler's CancellationToken never fired");
    }

    [Fact]
    public async Task TheDeadlineReachesTheHandler()
    {
        var result = (await Node.CallInteropAsync(_server.Address, Echo(new { }) with { DeadlineMs = 20_000 })).Single();

        Assert.Equal(0, result.Code);
        var remaining = long.Parse(result.Messages.Single()!["deadline_remaining_ms"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(remaining, 15_000, 20_000);
    }

    [Fact]
    public async Task AnErrorStatusArrivesWithItsMessagePercentEncodedOnTheWire()
    {
        const string Message = "No camera 42 in Қарағанды — 100% sure\r\nsecond line";

        var result = (await Node.CallInteropAsync(_server.Address, Echo(new { fail_code = 5, fail_message = Message }))).Single();

        Assert.Equal(5, result.Code);
        Assert.Equal(Message, result.Details);
    }

    [Fact]
    public async Task HandlerExceptionsBecomeStandardCodesAndNeverLeakDetails()
    {
        var results = await Node.CallInteropAsync(_server.Address,
            Echo(new { fail_code = -1 }), Echo(new { fail_code = -2 }), Echo(new { fail_code = -3 }), Echo(new { fail_code = -4 }), Echo(new { fail_code = -5 }));

        Assert.Equal((2, "Exception was thrown by handler."), (results[0].Code, results[0].Details));
        Assert.Equal((5, "No camera 42."), (results[1].Code, results[1].Details));
        Assert.Equal((3, "radius_meters must be positive."), (results[2].Code, results[2].Details));
        Assert.Equal(14, results[3].Code);
        Assert.Equal(7, results[4].Code);
        Assert.DoesNotContain(results, r => r.Details.Contains("hunter2") || r.Details.Contains("   at "));
    }

    [Fact]
    public async Task AnOversizedRequestIsResourceExhausted()
    {
        var call = Echo(new { payload = new Dictionary<string, int> { ["$bytes"] = 5 * 1024 * 1024 } });

        var result = (await Node.CallInteropAsync(_server.Address, call)).Single();

        Assert.Equal(8, result.Code);
        Assert.Equal("Received message exceeds the maximum configured message size.", result.Details);
    }

    [Fact]
    public async Task AnOversizedResponseIsResourceExhausted()
    {
        // The reference client would take up to 64 MiB here, so it is our server's send limit that answers.
        var call = Echo(new { reply_size = 5 * 1024 * 1024 }) with
        {
            Options = new Dictionary<string, object> { ["grpc.max_receive_message_length"] = 64 * 1024 * 1024 },
        };

        var result = (await Node.CallInteropAsync(_server.Address, call)).Single();

        Assert.Equal(8, result.Code);
        Assert.Equal("Sending message exceeds the maximum configured message size.", result.Details);
    }

    [Fact]
    public async Task NoTokenIsUnauthenticatedAndTheWrongRoleIsPermissionDenied()
    {
        var results = await Node.CallInteropAsync(_server.Address,
            new NodeCall(Service, "Echo", new { }),
            new NodeCall(Service, "Echo", new { }).WithToken(TestTokens.For("feedback.read")),
            new NodeCall(Service, "Echo", new { }).WithToken(TestTokens.Create(new TokenRequest { Roles = ["cameras.read"], Offset = TimeSpan.FromHours(-1) })));

        Assert.Equal([16, 7, 16], results.Select(r => r.Code));
    }

    [Fact]
    public async Task AMethodTheServiceDoesNotImplementIsUnimplemented()
    {
        var results = await Node.CallInteropAsync(_server.Address, new NodeCall(Service, "Update", new { }).WithToken(Token));

        Assert.Equal(12, results.Single().Code);
    }

    [Fact]
    public async Task UnknownMethodsAndServicesAreUnimplemented()
    {
        using var client = RawGrpc.CreateClient(_server.GrpcUri);
        var auth = new Dictionary<string, string> { ["authorization"] = $"Bearer {Token}" };

        var method = await RawGrpc.PostAsync(client, $"/{Service}/NoSuchMethod", RawGrpc.Frame([]), headers: auth);
        var service = await RawGrpc.PostAsync(client, "/publicsafety.testing.v1.NoSuchService/Echo", RawGrpc.Frame([]), headers: auth);

        Assert.Equal(("12", "Method is unimplemented."), (method.GrpcStatus, method.GrpcMessage));
        Assert.Equal(("12", "Service is unimplemented."), (service.GrpcStatus, service.GrpcMessage));
    }

    [Fact]
    public async Task AClientCancellingAStreamCancelsTheHandler()
    {
        var call = new NodeCall(Service, "Count", new { count = 1000, interval_ms = 50 }).WithToken(Token) with { CancelAfterMessages = 3 };

        var result = (await Node.CallInteropAsync(_server.Address, call)).Single();

        Assert.Equal(1, result.Code);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(_server.Cancellations.Any(c => c.Method == "Count")), TimeSpan.FromSeconds(30)),
            "the handler's CancellationToken never fired");
    }

    [Fact]
    public async Task AStreamThatFailsAfterMessagesSendsTheStatusInTrailers()
    {
        var call = new NodeCall(Service, "Count", new { count = 3, fail_code = 14, fail_message = "draining" }).WithToken(Token);

        var result = (await Node.CallInteropAsync(_server.Address, call)).Single();

        Assert.Equal(3, result.Messages.Count);
        Assert.Equal(14, result.Code);
        Assert.Equal("draining", result.Details);
    }
}
