using Google.Protobuf;
using PublicSafety.Grpc.Tests.Infrastructure;
using PublicSafety.Grpc.Tests.Interop;
using PublicSafety.ServiceDefaults.Grpc;
using PublicSafety.ServiceDefaults.Grpc.Client;

namespace PublicSafety.Grpc.Tests;

/// <summary>Our client calls a grpc-js server and reports what grpc-dotnet's client would (status codes, messages).</summary>
public sealed class OurClientCallsReferenceServerTests : IAsyncLifetime
{
    private NodeServer _server = null!;
    private InteropClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await Node.StartServerAsync();
        _client = InteropClient.Create(_server.Address);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AUnaryCallCarriesPayloadMetadataAndDeadline()
    {
        var reply = await _client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFromUtf8("ping") }, new GrpcCallOptions
        {
            Deadline = DateTimeOffset.UtcNow.AddSeconds(20),
            Headers = new Dictionary<string, string> { ["x-custom"] = "hello", ["authorization"] = "Bearer forwarded-on-purpose" },
        });

        Assert.Equal("ping", reply.Payload.ToStringUtf8());
        Assert.Equal("hello", reply.CustomHeader);
        Assert.Equal("Bearer forwarded-on-purpose", reply.Authorization);
        Assert.InRange(reply.DeadlineRemainingMs, 15_000, 20_000);
    }

    [Fact]
    public async Task AServerStreamIsReadToTheEnd()
    {
        var received = new List<int>();
        await foreach (var reply in _client.CountAsync(new CountRequest { Count = 50 }))
        {
            received.Add(reply.N);
        }

        Assert.Equal(Enumerable.Range(1, 50), received);
    }

    [Fact]
    public async Task AnErrorAfterStreamedMessagesIsThrownAfterThem()
    {
        var received = 0;
        var error = await Assert.ThrowsAsync<GrpcCallException>(async () =>
        {
            await foreach (var _ in _client.CountAsync(new CountRequest { Count = 3, FailCode = 9, FailMessage = "précondition ratée 100%" }))
            {
                received++;
            }
        });

        Assert.Equal(3, received);
        Assert.Equal(GrpcStatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("précondition ratée 100%", error.Detail);
    }

    [Fact]
    public async Task AnExpiredDeadlineIsDeadlineExceeded()
    {
        var started = DateTimeOffset.UtcNow;

        var error = await Assert.ThrowsAsync<GrpcCallException>(() =>
            _client.EchoAsync(new EchoRequest { DelayMs = 10_000 }, GrpcCallOptions.WithTimeout(TimeSpan.FromMilliseconds(300))));

        Assert.Equal(GrpcStatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CancellingTheCallCancelsItOnTheServer()
    {
        using var cts = new CancellationTokenSource();
        var error = await Assert.ThrowsAsync<GrpcCallException>(async () =>
        {
            await foreach (var reply in _client.CountAsync(new CountRequest { Count = 1000, IntervalMs = 50 }, new GrpcCallOptions { CancellationToken = cts.Token }))
            {
                if (reply.N == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(GrpcStatusCode.Cancelled, error.StatusCode);
        Assert.True(await PublicSafety.Testing.Eventually.HoldsAsync(() => Task.FromResult(_server.Lines.Contains("CANCELLED Count")), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AServerStatusArrivesAsAnExceptionWithCodeAndMessage()
    {
        var error = await Assert.ThrowsAsync<GrpcCallException>(() =>
            _client.EchoAsync(new EchoRequest { FailCode = 5, FailMessage = "Камера не найдена" }));

        Assert.Equal(GrpcStatusCode.NotFound, error.StatusCode);
        Assert.Equal("Камера не найдена", error.Detail);
    }

    [Fact]
    public async Task OversizedMessagesAreResourceExhaustedInBothDirections()
    {
        var tooBigToSend = await Assert.ThrowsAsync<GrpcCallException>(() =>
            _client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) }));
        var tooBigToReceive = await Assert.ThrowsAsync<GrpcCallException>(() =>
            _client.EchoAsync(new EchoRequest { ReplySize = 5 * 1024 * 1024 }));

        Assert.Equal(GrpcStatusCode.ResourceExhausted, tooBigToSend.StatusCode);
        Assert.Equal("Sending message exceeds the maximum configured message size.", tooBigToSend.Detail);
        Assert.Equal(GrpcStatusCode.ResourceExhausted, tooBigToReceive.StatusCode);
        Assert.Equal("Received message exceeds the maximum configured message size.", tooBigToReceive.Detail);
    }

    [Fact]
    public async Task UnavailableIsRetriedForIdempotentMethodsOnly()
    {
        var key = Guid.NewGuid().ToString();
        var reply = await _client.EchoAsync(new EchoRequest { Key = key, FailCode = 14, FailTimes = 2, FailMessage = "draining" });
        var notRetried = await Assert.ThrowsAsync<GrpcCallException>(() =>
            _client.UpdateAsync(new EchoRequest { Key = key + "-update", FailCode = 14, FailTimes = 1 }));
        var otherCodesNotRetried = await Assert.ThrowsAsync<GrpcCallException>(() =>
            _client.EchoAsync(new EchoRequest { Key = key + "-internal", FailCode = 13, FailTimes = 1 }));
        var confirm = await _client.UpdateAsync(new EchoRequest { Key = key + "-update" });
        var confirmInternal = await _client.EchoAsync(new EchoRequest { Key = key + "-internal" });

        Assert.Equal(3, reply.Attempt);
        Assert.Equal(GrpcStatusCode.Unavailable, notRetried.StatusCode);
        Assert.Equal(2, confirm.Attempt);
        Assert.Equal(GrpcStatusCode.Internal, otherCodesNotRetried.StatusCode);
        Assert.Equal(2, confirmInternal.Attempt);
    }

    [Fact]
    public async Task AnUnreachableServerIsUnavailable()
    {
        var client = InteropClient.Create(new Uri($"http://127.0.0.1:{PublicSafety.Testing.FreePort.Next()}"), new GrpcClientOptions { MaxRetries = 1 });

        var error = await Assert.ThrowsAsync<GrpcCallException>(() => client.EchoAsync(new EchoRequest()));

        Assert.Equal(GrpcStatusCode.Unavailable, error.StatusCode);
    }
}
